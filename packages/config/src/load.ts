import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { ZodError } from 'zod';
import { AppConfigSchema, type AppConfig, type FeedConfig } from './schema';

export const CONFIG_ENV = 'ENTRA_INGEST_CONFIG';

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(message: string, readonly problems: string[] = []) {
    super(problems.length ? `${message}:\n  - ${problems.join('\n  - ')}` : message);
  }
}

/** A loaded config plus the folder relative paths (secret files, CA files, data dir) resolve against. */
export interface LoadedConfig {
  config: AppConfig;
  baseDir: string;
  source: string;
}

function formatPath(raw: unknown, issuePath: readonly PropertyKey[]): string {
  let out = '';
  let node: unknown = raw;
  for (const key of issuePath) {
    if (typeof key === 'number') {
      const id = (node as unknown[] | undefined)?.[key] as { id?: unknown } | undefined;
      out += `[${key}]`;
      if (out === `feeds[${key}]` && typeof id?.id === 'string') out += ` (feed "${id.id}")`;
    } else out += out ? `.${String(key)}` : String(key);
    node = (node as Record<PropertyKey, unknown> | undefined)?.[key as never];
  }
  return out || '(top level)';
}

export function formatZodError(raw: unknown, err: ZodError): string[] {
  return err.issues.map((issue) => `${formatPath(raw, issue.path)}: ${issue.message}`);
}

/** Validates a parsed config object; every problem is listed with the field and feed it concerns. */
export function parseConfig(raw: unknown, source = 'config'): AppConfig {
  const result = AppConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(`${source} is not valid`, formatZodError(raw, result.error));
  return result.data;
}

export function parseConfigText(text: string, source: string): AppConfig {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length) {
    throw new ConfigError(`${source} cannot be parsed`, doc.errors.map((e) => e.message.split('\n')[0]!));
  }
  return parseConfig(doc.toJS(), source);
}

/** Where `entra-ingest dev` (what `npm start` runs) writes its demo config, relative to the directory it runs in. */
export const DEV_CONFIG_FILE = path.join('.data', 'demo-feeds.yaml');

/**
 * The one rule every command follows to find its config: `--config FILE`, else $ENTRA_INGEST_CONFIG, else the demo
 * config of a dev stack started in the current directory (so after `npm start`, commands run from the clone need no
 * flag). Undefined when none applies.
 */
export function chooseConfigFile(file?: string, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string | undefined {
  if (file) return file;
  if (env[CONFIG_ENV]) return env[CONFIG_ENV];
  const dev = path.join(cwd, DEV_CONFIG_FILE);
  return fs.existsSync(dev) ? dev : undefined;
}

/** Loads the config `chooseConfigFile` picks. YAML or JSON (JSON is YAML). */
export function loadConfig(file?: string): LoadedConfig {
  const chosen = chooseConfigFile(file);
  if (!chosen) throw new ConfigError(`no config file: pass --config FILE or set ${CONFIG_ENV} (or run "npm start" in this directory, whose demo config ${DEV_CONFIG_FILE} is then found on its own)`);
  const abs = path.resolve(chosen);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${abs}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return { config: parseConfigText(text, abs), baseDir: path.dirname(abs), source: abs };
}

export function findFeed(config: AppConfig, id: string): FeedConfig {
  const feed = config.feeds.find((f) => f.id === id);
  if (!feed) {
    throw new ConfigError(`feed "${id}" is not in the config; configured feeds: ${config.feeds.map((f) => f.id).join(', ')}`);
  }
  return feed;
}

export function resolveDataDir(loaded: Pick<LoadedConfig, 'config' | 'baseDir'>): string {
  return path.resolve(loaded.baseDir, loaded.config.dataDir);
}
