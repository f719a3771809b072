// The pieces every section wires together: the Temporal dev server, simulated tenants, a feeds config on disk, and
// the ingest worker (or the plain loop) as a child process whose memory can be read from /proc.
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { type AppConfigInput, type LoadedConfig, parseConfigText } from '@entra-ingest/config';
import { locateTemporalCli, startDevServer, type RunningDevServer } from '@entra-ingest/dev-server';
import type { RunningSimulator, SimulatedTenant } from '@entra-ingest/graph-simulator';
import { MEMORY_ENV, sizeWorker } from '@entra-ingest/worker';
import { waitFor } from './stats';

export const PROJECT_ROOT = path.resolve(__dirname, '../..');

export interface Temporal {
  server: RunningDevServer;
  cliPath: string;
  client: Client;
  connection: Connection;
  close(): Promise<void>;
}

/** Its own dev server (headless, in memory, free port), so nothing else on the machine shares its history. */
export async function startTemporal(): Promise<Temporal> {
  const cli = locateTemporalCli({ projectRoot: PROJECT_ROOT, install: false });
  const server = await startDevServer({ cliPath: cli.path, headless: true });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  return {
    server, cliPath: cli.path, client, connection,
    async close() {
      await connection.close();
      await server.stop();
    },
  };
}

export interface BenchTenant {
  tenant: SimulatedTenant;
  secret: string;
}

/** A premium tenant whose one app has the report permissions; the same client id across tenants is one multi-tenant app. */
export function benchTenant(index: number, clientId: string): BenchTenant {
  const hex = (n: number, len: number): string => n.toString(16).padStart(len, '0');
  const secret = `bench-${crypto.randomBytes(12).toString('hex')}`;
  return {
    secret,
    tenant: {
      tenantId: `b0000000-0000-4000-8000-${hex(index, 12)}`,
      premium: true,
      users: 200,
      groups: 20,
      clients: [{ clientId, secret: { value: secret, expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString() }, permissions: ['AuditLog.Read.All', 'Directory.Read.All', 'User.Read.All'] }],
    },
  };
}

export const BENCH_CLIENT_ID = 'c0000000-0000-4000-8000-00000000be0c';

export interface FeedSpec {
  id: string;
  tenant: BenchTenant;
  window: string;
  every?: string;
  lag?: string;
  sweeps?: string[];
  initialLookback?: string;
  rateLimit?: { requests: number; per: string };
}

/** Writes a feeds config (JSON is YAML) for the simulator in `dir`: CA and secrets beside it, file sink under data/. */
export function writeBenchConfig(dir: string, simulator: RunningSimulator, feeds: FeedSpec[], name = 'feeds.json'): LoadedConfig {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'ca.pem'), simulator.caCertPem ?? '');
  const cfg: AppConfigInput = {
    dataDir: 'data',
    validateEvents: true,
    feeds: feeds.map((f) => {
      const secretFile = `secret-${f.id}`;
      fs.writeFileSync(path.join(dir, secretFile), f.tenant.secret);
      return {
        id: f.id,
        tenantId: f.tenant.tenant.tenantId,
        clientId: f.tenant.tenant.clients[0]!.clientId,
        credential: { clientSecret: { file: secretFile } },
        cloud: 'custom',
        loginUrl: simulator.url,
        graphUrl: simulator.url,
        caFile: 'ca.pem',
        sources: { directoryAudits: { enabled: true } },
        window: f.window,
        every: f.every ?? f.window,
        lag: f.lag ?? '1m',
        sweeps: f.sweeps ?? [],
        initialLookback: f.initialLookback ?? f.window,
        rateLimit: f.rateLimit ?? { requests: 5, per: '10s' },
        sinks: [{ type: 'file', id: 'file', root: 'ocsf' }],
      } as never;
    }),
  };
  const file = path.join(dir, name);
  const text = JSON.stringify(cfg, null, 2);
  fs.writeFileSync(file, text);
  return { config: parseConfigText(text, file), baseDir: dir, source: file };
}

export interface ChildRun {
  child: ChildProcess;
  /** Resolves with the child's final message (its result), rejects if it exits without one. */
  result: Promise<unknown>;
  stop(): Promise<void>;
}

/** Forks a compiled module of this package with IPC; its stderr goes to `logFile`. Resolves once it says ready. */
export async function forkChild(module: string, args: string[], logFile: string, execArgv: string[] = [], env: Record<string, string> = {}): Promise<ChildRun> {
  const out = fs.openSync(logFile, 'a');
  const child = fork(path.join(__dirname, module), args, { execArgv, stdio: ['ignore', out, out, 'ipc'], env: { ...process.env, ENTRA_INGEST_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', ...env } });
  fs.closeSync(out);
  child.on('error', () => undefined); // a send racing the child's exit; the exit handler reports what matters
  let ready = false;
  let settled = false;
  const result = new Promise<unknown>((resolve, reject) => {
    child.on('message', (m: { type?: string; result?: unknown; error?: string }) => {
      if (m.type === 'ready') ready = true;
      if (m.type === 'result') {
        settled = true;
        resolve(m.result);
      }
      if (m.type === 'error') {
        settled = true;
        reject(new Error(`${module}: ${m.error}`));
      }
    });
    child.once('exit', (code, signal) => {
      if (!settled) reject(new Error(`${module} exited (${code ?? signal}) without a result; see ${logFile}: ${tail(logFile)}`));
    });
  });
  result.catch(() => undefined);
  await Promise.race([
    waitFor(`${module} to be ready`, () => (ready ? true : undefined), 120_000, 50),
    result.then(() => undefined),
  ]);
  return {
    child,
    result,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (child.connected) child.send({ type: 'stop' });
      else child.kill('SIGTERM'); // it said its result and let go of the channel: it is exiting anyway
    }),
  };
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(-1500);
  } catch {
    return '(no log)';
  }
}

/** The image's `ENV MALLOC_…` settings, read from the Dockerfile so the bench cannot drift from it. */
function imageMallocEnv(): Record<string, string> {
  const dockerfile = fs.readFileSync(path.resolve(__dirname, '../../Dockerfile'), 'utf8');
  const env: Record<string, string> = {};
  for (const [, name, value] of dockerfile.matchAll(/^ENV (MALLOC_\w+)=(\S+)$/gm)) env[name!] = process.env[name!] ?? value!;
  if (Object.keys(env).length === 0) throw new Error('the Dockerfile sets no MALLOC_ variable: the bench would not run the worker as the image does');
  return env;
}

/**
 * The ingest worker as a child process on its own task queue (see worker-main.ts). With `memoryMb`, started as the
 * image starts it in a container of that much memory: sized for it (ENTRA_INGEST_WORKER_MEMORY_MB) with its heap cap
 * and the image's malloc settings.
 * BENCH_WORKER_EXEC_ARGV adds Node flags of your own (they come last, so they win).
 */
export function startWorkerProcess(loaded: LoadedConfig, address: string, taskQueue: string, logFile: string, memoryMb?: number): Promise<ChildRun> {
  const sized = memoryMb === undefined ? [] : [`--max-old-space-size=${sizeWorker(memoryMb).heapCapMb}`];
  const extra = (process.env.BENCH_WORKER_EXEC_ARGV ?? '').split(' ').filter(Boolean);
  // As the image runs it: its memory, and its Dockerfile's malloc settings (a value in the bench's environment wins).
  const env: Record<string, string> = memoryMb === undefined ? {} : { [MEMORY_ENV]: String(memoryMb), ...imageMallocEnv() };
  return forkChild('worker-main.js', [loaded.source, address, taskQueue], logFile, [...sized, ...extra], env);
}
