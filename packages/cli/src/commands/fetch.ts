import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { type AppConfig, type FeedConfig, createLogger, findFeed, resolveConnection } from '@entra-ingest/config';
import { loadConfigOption, configHelp } from '../config-option';
import {
  CLOUD_NAMES, GraphClient, GraphError, type CloudName, type GraphClientEvent, type GraphConnection, type GraphPage,
} from '@entra-ingest/graph';
import { SOURCE_NAMES, SOURCE_SPECS, isDeltaSource, isSourceName, type SourceName } from '@entra-ingest/sources';
import { CommandFailure, UsageError } from '../errors';
import { parseIntOption, parseIsoOption } from '../option-parsers';

const FETCH_SOURCES = SOURCE_NAMES;

/** The connection flags of `fetch` (and any other command that talks to Graph without a config file). */
export interface ConnectionFlags {
  tenantId?: string;
  clientId?: string;
  clientSecretEnv?: string;
  certificate?: string;
  privateKey?: string;
  cloud?: string;
  loginUrl?: string;
  graphUrl?: string;
  caFile?: string;
}

function readFlagFile(flag: string, file: string): string {
  try {
    return fs.readFileSync(path.resolve(file), 'utf8');
  } catch (err) {
    throw new UsageError(`${flag}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/**
 * Builds a Graph connection from command-line flags. The secret is read from the named environment variable, the
 * certificate and key from files: values never appear on the command line (or in shell history and process lists).
 */
export function connectionFromFlags(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): GraphConnection {
  const missing = (['tenantId', 'clientId'] as const).filter((k) => !flags[k]).map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  if (missing.length) throw new UsageError(`missing ${missing.join(' and ')} (or use --feed NAME with a config file)`);
  const cloud = (flags.cloud ?? 'global') as CloudName;
  if (!CLOUD_NAMES.includes(cloud)) throw new UsageError(`--cloud must be one of ${CLOUD_NAMES.join(', ')}, got "${flags.cloud}"`);
  if (cloud === 'custom' && (!flags.loginUrl || !flags.graphUrl)) throw new UsageError('--cloud custom needs --login-url and --graph-url');
  if (cloud !== 'custom' && (flags.loginUrl || flags.graphUrl)) throw new UsageError(`--login-url/--graph-url apply only to --cloud custom (cloud ${cloud} has fixed endpoints)`);

  const usesCertificate = !!(flags.certificate || flags.privateKey);
  if (usesCertificate && flags.clientSecretEnv) throw new UsageError('give either --client-secret-env or --certificate with --private-key, not both');
  let credential: GraphConnection['credential'];
  if (usesCertificate) {
    if (!flags.certificate || !flags.privateKey) throw new UsageError('--certificate and --private-key go together');
    credential = { kind: 'certificate', certificatePem: readFlagFile('--certificate', flags.certificate), privateKeyPem: readFlagFile('--private-key', flags.privateKey) };
  } else {
    if (!flags.clientSecretEnv) throw new UsageError('missing credential: --client-secret-env VAR (the NAME of an environment variable holding the secret), or --certificate and --private-key');
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(flags.clientSecretEnv)) throw new UsageError(`--client-secret-env takes the name of an environment variable, got "${flags.clientSecretEnv}"`);
    const clientSecret = env[flags.clientSecretEnv];
    if (!clientSecret) throw new UsageError(`--client-secret-env: environment variable ${flags.clientSecretEnv} is not set`);
    credential = { kind: 'secret', clientSecret };
  }
  return {
    tenantId: flags.tenantId!,
    clientId: flags.clientId!,
    cloud,
    loginUrl: flags.loginUrl,
    graphUrl: flags.graphUrl,
    caPem: flags.caFile ? readFlagFile('--ca-file', flags.caFile) : undefined,
    credential,
  };
}

interface FetchOpts extends ConnectionFlags {
  source?: string;
  feed?: string;
  config?: string;
  from?: string;
  to?: string;
  beta?: boolean;
  top?: number;
  maxRetries: number;
}

/** Progress lines on stderr; stdout carries only records. */
function progressReporter(write: (line: string) => void) {
  return (e: GraphClientEvent): void => {
    if (e.kind === 'throttled') {
      write(`throttled: waiting ${(e.waitMs / 1000).toFixed(1)} s (${e.source === 'retry-after' ? 'Retry-After' : 'backoff'})`);
    } else if (e.kind === 'retry') {
      write(`retrying: ${e.reason} (attempt ${e.attempt})`);
    }
  };
}

/** Writes a line to stdout, waiting for the pipe to drain so memory stays flat on slow consumers. */
function writeLine(line: string): Promise<void> | undefined {
  if (process.stdout.write(`${line}\n`)) return undefined;
  return new Promise((resolve) => process.stdout.once('drain', resolve));
}

/** The connection of a configured feed: its secret or certificate is read from the reference, as the worker does. */
function connectionFromFeed(feedId: string, configFile?: string): GraphConnection {
  const loaded = loadConfigOption(configFile);
  const feed = findFeedOrUsage(loaded.config, feedId);
  try {
    return resolveConnection(feed, loaded.baseDir);
  } catch (err) {
    throw new CommandFailure(`feed ${feedId}: ${(err as Error).message}`);
  }
}

function findFeedOrUsage(config: AppConfig, id: string): FeedConfig {
  try {
    return findFeed(config, id);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function runFetch(opts: FetchOpts): Promise<void> {
  const source: SourceName | undefined = isSourceName(opts.source) ? opts.source : undefined;
  if (!source) throw new UsageError(`--source must be one of ${FETCH_SOURCES.join(', ')}`);
  if (!isDeltaSource(source) && (!opts.from || !opts.to)) throw new UsageError(`--source ${source} needs --from and --to`);
  if (isDeltaSource(source) && (opts.from || opts.to)) throw new UsageError(`--source ${source} is a delta inventory: it takes no --from/--to`);
  if (opts.from && opts.to && Date.parse(opts.from) > Date.parse(opts.to)) throw new UsageError(`--from ${opts.from} is after --to ${opts.to}`);
  const maxTop = SOURCE_SPECS[source].pageSize.max;
  if (opts.top !== undefined && opts.top > maxTop) throw new UsageError(`--top must be at most ${maxTop} (Graph's largest page of ${source}), got ${opts.top}`);
  if (opts.beta && source !== 'signIns') throw new UsageError('--beta applies to --source signIns only');
  const connection = opts.feed ? connectionFromFeed(opts.feed, opts.config) : connectionFromFlags(opts);

  const say = (line: string) => process.stderr.write(`${line}\n`);
  // Progress lines say what happens; structured logs only for errors unless a level is asked for.
  const logger = createLogger('fetch', process.env.ENTRA_INGEST_LOG_LEVEL ? {} : { level: 'error' });
  let client: GraphClient;
  try {
    client = new GraphClient({ connection, logger, maxTransientRetries: opts.maxRetries, onEvent: progressReporter(say) });
  } catch (err) {
    if (err instanceof GraphError) throw new UsageError(err.message);
    throw err;
  }
  const controller = new AbortController();
  const onSignal = () => controller.abort(new CommandFailure('interrupted', 130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  // Graph may repeat a record on two pages; one copy per id goes out.
  const seen = new Set<string>();
  let pages = 0;
  let written = 0;
  let duplicates = 0;
  try {
    const iterator: AsyncGenerator<GraphPage> = isDeltaSource(source)
      ? client.deltaPages(source, { signal: controller.signal })
      : client.windowPages({ source, from: opts.from!, to: opts.to!, beta: opts.beta, top: opts.top }, { signal: controller.signal });
    for await (const page of iterator) {
      pages++;
      for (const record of page.records) {
        const id = typeof record.id === 'string' ? record.id : undefined;
        if (id !== undefined) {
          if (seen.has(id)) {
            duplicates++;
            continue;
          }
          seen.add(id);
        }
        written++;
        await writeLine(JSON.stringify(record));
      }
      say(`page ${pages}: ${page.records.length} records (${written} written${page.requestId ? `, request-id ${page.requestId}` : ''})`);
    }
    say(`done: ${written} records in ${pages} pages${duplicates ? `, ${duplicates} duplicates dropped` : ''}`);
  } catch (err) {
    if (err instanceof CommandFailure || err instanceof UsageError) throw err;
    if (err instanceof GraphError) throw new CommandFailure(`${err.kind}: ${err.message}`);
    throw new CommandFailure(err instanceof Error ? err.message : String(err));
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await client.close();
  }
}

function parseSource(value: string): string {
  if (!(FETCH_SOURCES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${FETCH_SOURCES.join(', ')}, got "${value}"`);
  return value;
}

export function registerFetchCommand(program: Command): void {
  program
    .command('fetch')
    .description('read raw Microsoft Graph records (NDJSON on stdout, progress on stderr): a time window of a log, or a full read of a delta inventory')
    .requiredOption('--source <source>', `what to read: ${FETCH_SOURCES.join(', ')}`, parseSource)
    .option('--from <iso>', 'window start, inclusive (e.g. 2026-11-01T00:00:00Z)', parseIsoOption('--from'))
    .option('--to <iso>', 'window end, inclusive', parseIsoOption('--to'))
    .option('--feed <id>', 'connect as this feed of the config file (instead of the flags below)')
    .option('--config <file>', configHelp('feeds config for --feed'))
    .option('--tenant-id <id>', 'directory (tenant) ID')
    .option('--client-id <id>', 'application (client) ID')
    .option('--client-secret-env <var>', 'NAME of the environment variable holding the client secret')
    .option('--certificate <pem-file>', 'certificate PEM (instead of a secret), with --private-key')
    .option('--private-key <pem-file>', 'private key PEM of --certificate')
    .option('--cloud <cloud>', `${CLOUD_NAMES.join(' | ')}`, 'global')
    .option('--login-url <url>', 'identity platform origin (cloud custom)')
    .option('--graph-url <url>', 'Graph origin (cloud custom)')
    .option('--ca-file <pem-file>', 'an extra CA certificate to trust (e.g. the simulator\'s)')
    .option('--beta', 'sign-ins: the beta endpoint with non-interactive, service principal and managed identity sign-ins')
    .option('--top <n>', 'page size of a log (default and most: the source\'s largest page)', parseIntOption('--top', 1))
    .option('--max-retries <n>', 'inline retries of a failed request (5xx, resets, timeouts)', parseIntOption('--max-retries'), 5)
    .action((opts: FetchOpts) => runFetch(opts));
}
