import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { searchAttributeArgs } from './search-attributes';

export interface DevServerOptions {
  cliPath: string;
  /** gRPC port (default: a free port). */
  port?: number;
  /** Web UI port; omit with `headless`. */
  uiPort?: number;
  headless?: boolean;
  /** SQLite file to persist to; in memory when omitted. */
  dbFile?: string;
  namespace?: string;
  ip?: string;
  /** Where the server's own output goes (default: a log file beside dbFile, else ignored). */
  logFile?: string;
  startTimeoutMs?: number;
  /** Abandons the start (Ctrl-C while starting): the server process is stopped and the promise rejects. */
  signal?: AbortSignal;
}

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  namespace: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function lastLines(file: string | undefined, n: number): string {
  if (!file || !fs.existsSync(file)) return '';
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n);
  return lines.length ? `; last lines of ${file}:\n    ${lines.join('\n    ')}` : '';
}

function waitForPort(host: string, port: number, timeoutMs: number, child: ChildProcess, logFile: string | undefined, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (signal?.aborted) {
        reject(new Error('stopped while the Temporal dev server was starting'));
        return;
      }
      if (child.exitCode !== null) {
        reject(new Error(`temporal dev server exited with code ${child.exitCode} before listening on ${host}:${port}${lastLines(logFile, 5)}`));
        return;
      }
      const sock = net.connect(port, host);
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`temporal dev server did not listen on ${host}:${port} in ${timeoutMs} ms${lastLines(logFile, 5)}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** Starts `temporal server start-dev` with the project's search attributes registered. */
export async function startDevServer(opts: DevServerOptions): Promise<RunningDevServer> {
  const ip = opts.ip ?? '127.0.0.1';
  const port = opts.port ?? (await freePort(ip));
  const namespace = opts.namespace ?? 'default';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--namespace', namespace, '--log-level', 'warn',
    ...searchAttributeArgs(),
    // One partition per task queue: a tenant's Graph queue is rate limited per partition, so with the default four
    // the server would pace each partition at a quarter of the limit and leave most of Graph's budget unused.
    '--dynamic-config-value', 'matching.numTaskqueueReadPartitions=1',
    '--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1'];
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  let uiUrl: string | undefined;
  if (opts.headless) args.push('--headless');
  else {
    const uiPort = opts.uiPort ?? (await freePort(ip));
    args.push('--ui-port', String(uiPort));
    uiUrl = `http://${ip === '0.0.0.0' ? '127.0.0.1' : ip}:${uiPort}`;
  }
  const logFile = opts.logFile ?? (opts.dbFile ? path.join(path.dirname(opts.dbFile), 'temporal-server.log') : undefined);
  const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', out, out], detached: false });
  if (typeof out === 'number') fs.closeSync(out);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  };
  try {
    await waitForPort(ip, port, opts.startTimeoutMs ?? 60_000, child, logFile, opts.signal);
  } catch (err) {
    // A server that did not come up (or whose start was abandoned) must not outlive the attempt.
    await stop();
    throw err;
  }
  return { address: `${ip === '0.0.0.0' ? '127.0.0.1' : ip}:${port}`, uiUrl, namespace, process: child, stop };
}
