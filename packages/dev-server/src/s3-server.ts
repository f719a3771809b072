import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, startServerProcess } from './server-process';

/**
 * versitygw: an Apache-2.0 S3 gateway over a local folder, used as the real S3-compatible server of the tests and
 * the chaos run. Pinned; built with `go install` (about 3 minutes once) and cached under `.tools/versitygw/`.
 * It honours `If-None-Match: *` and `If-Match` on PutObject (412 on conflict), which the conditional writes need.
 */
export const VERSITYGW_MODULE = 'github.com/versity/versitygw/cmd/versitygw';
export const VERSITYGW_VERSION = 'v1.8.0';

export interface LocatedS3Server {
  path: string;
  source: 'env' | 'path' | 'cache' | 'go';
}

function cachedVersitygw(projectRoot: string): string {
  return path.join(projectRoot, '.tools', 'versitygw', 'bin', 'versitygw');
}

function works(binary: string): boolean {
  return fs.existsSync(binary) && spawnSync(binary, ['--version'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
}

function onPath(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v versitygw'], { encoding: 'utf8' });
  const found = r.stdout.trim();
  return r.status === 0 && found ? found : undefined;
}

/**
 * Finds versitygw: $VERSITYGW, `versitygw` on PATH, the project's cache; else (with `install`) builds the pinned
 * version with `go install` into the cache. Throws with what was tried and what is needed (Go) when it cannot.
 */
export function locateVersitygw(opts: { projectRoot: string; install?: boolean; log?: (line: string) => void }): LocatedS3Server {
  const log = opts.log ?? (() => undefined);
  const fromEnv = process.env.VERSITYGW;
  if (fromEnv && works(fromEnv)) return { path: fromEnv, source: 'env' };
  const found = onPath();
  if (found && works(found)) return { path: found, source: 'path' };
  const cached = cachedVersitygw(opts.projectRoot);
  if (works(cached)) return { path: cached, source: 'cache' };
  if (opts.install === false) throw new Error('versitygw (the S3-compatible test server) not found; run "npm run setup" (needs Go 1.24+)');
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`versitygw (the S3-compatible test server) needs Go to build: install Go 1.24+ and run "npm run setup" again, or set VERSITYGW to a versitygw ${VERSITYGW_VERSION} binary`);
  }
  log(`building versitygw ${VERSITYGW_VERSION} with go install (the S3-compatible test server; takes a few minutes once)`);
  const r = spawnSync('go', ['install', `${VERSITYGW_MODULE}@${VERSITYGW_VERSION}`], {
    env: { ...process.env, GOBIN: path.dirname(cached) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0 || !works(cached)) throw new Error(`go install of versitygw ${VERSITYGW_VERSION} failed (exit ${r.status ?? r.signal})`);
  return { path: cached, source: 'go' };
}

export interface S3ServerOptions {
  binary: string;
  /** The folder the server keeps buckets in (one sub-folder per bucket). */
  dir: string;
  port?: number;
  /** Buckets created at start. */
  buckets?: string[];
  logFile?: string;
  startTimeoutMs?: number;
}

export interface RunningS3Server {
  /** http://127.0.0.1:PORT — loopback only, so plain HTTP. */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  stop(): Promise<void>;
}

/**
 * Starts versitygw's posix backend over `dir` on loopback with fresh random root credentials. Buckets are folders of
 * `dir`, so they are created here before the server starts.
 */
export async function startS3Server(opts: S3ServerOptions): Promise<RunningS3Server> {
  const port = opts.port ?? (await freePort());
  fs.mkdirSync(opts.dir, { recursive: true });
  for (const bucket of opts.buckets ?? []) fs.mkdirSync(path.join(opts.dir, bucket), { recursive: true });
  const accessKeyId = `test${crypto.randomBytes(8).toString('hex')}`;
  const secretAccessKey = crypto.randomBytes(24).toString('base64url');
  const server = await startServerProcess({
    name: 'versitygw', binary: opts.binary, args: ['--port', `127.0.0.1:${port}`, 'posix', opts.dir],
    // Credentials by environment, not on the command line (where `ps` shows them).
    env: { ...process.env, ROOT_ACCESS_KEY: accessKeyId, ROOT_SECRET_KEY: secretAccessKey },
    logFile: opts.logFile, host: '127.0.0.1', port, startTimeoutMs: opts.startTimeoutMs ?? 30_000, stopGraceMs: 5_000,
  });
  return { endpoint: `http://127.0.0.1:${port}`, accessKeyId, secretAccessKey, region: 'us-east-1', stop: server.stop };
}
