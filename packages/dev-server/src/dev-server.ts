import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { searchAttributeArgs } from './search-attributes';
import { freePort, startServerProcess } from './server-process';

export { freePort } from './server-process';

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
  /** Its own process group, so a terminal's Ctrl-C leaves the stopping to us (see ServerProcessOptions). */
  ownProcessGroup?: boolean;
}

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  namespace: string;
  process: ChildProcess;
  stop(): Promise<void>;
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
  const server = await startServerProcess({
    name: 'temporal dev server', binary: opts.cliPath, args, logFile, host: ip, port, startTimeoutMs: opts.startTimeoutMs ?? 60_000, stopGraceMs: 10_000, signal: opts.signal,
    ownProcessGroup: opts.ownProcessGroup,
  });
  return { address: `${ip === '0.0.0.0' ? '127.0.0.1' : ip}:${port}`, uiUrl, namespace, process: server.child, stop: server.stop };
}
