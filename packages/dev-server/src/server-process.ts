import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A server process of ours (the Temporal dev server, the S3 server) and how to stop it. */
export interface ServerProcess {
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after the grace period; resolves once it has exited. */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  /** How errors name it, e.g. "temporal dev server". */
  name: string;
  binary: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Where its output goes (appended); ignored when omitted. */
  logFile?: string;
  host: string;
  port: number;
  startTimeoutMs: number;
  stopGraceMs: number;
  /** Abandons the start: the process is stopped and the promise rejects. */
  signal?: AbortSignal;
  /**
   * Runs it in a process group of its own: a terminal's Ctrl-C, sent to the whole foreground group, then reaches only
   * this process, which stops the server after what depends on it. It is also stopped when this process exits.
   */
  ownProcessGroup?: boolean;
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

function waitForPort(opts: ServerProcessOptions, child: ChildProcess): Promise<void> {
  const { name, host, port, startTimeoutMs, logFile, signal } = opts;
  const deadline = Date.now() + startTimeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (signal?.aborted) {
        reject(new Error(`stopped while the ${name} was starting`));
        return;
      }
      if (child.exitCode !== null) {
        reject(new Error(`${name} exited with code ${child.exitCode} before listening on ${host}:${port}${lastLines(logFile, 5)}`));
        return;
      }
      const sock = net.connect(port, host);
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`${name} did not listen on ${host}:${port} in ${startTimeoutMs} ms${lastLines(logFile, 5)}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** The compiled guard: beside this file when it runs from dist, in dist when it runs from source (tests). */
function guardScript(): string {
  const beside = path.join(__dirname, 'die-with-parent.js');
  return fs.existsSync(beside) ? beside : path.join(__dirname, '..', 'dist', 'die-with-parent.js');
}

/** Starts the server and resolves once it accepts connections; a server that does not come up is stopped, not left behind. */
export async function startServerProcess(opts: ServerProcessOptions): Promise<ServerProcess> {
  const out = opts.logFile ? fs.openSync(opts.logFile, 'a') : 'ignore';
  const env = opts.env ?? process.env;
  // Outside our group no signal of the terminal's reaches it: it must not outlive us. On a normal exit we stop it;
  // when this process dies without one (SIGKILL, a crash), die-with-parent.ts, its starter in its group, does.
  const child = opts.ownProcessGroup
    ? spawn(process.execPath, [guardScript(), String(opts.stopGraceMs), opts.binary, ...opts.args], { stdio: ['ignore', out, out, 'ipc'], env, detached: true })
    : spawn(opts.binary, opts.args, { stdio: ['ignore', out, out], env });
  if (typeof out === 'number') fs.closeSync(out);
  if (opts.ownProcessGroup) {
    // The IPC channel is how the guard learns we are gone; it must not keep this process alive by itself.
    child.channel?.unref();
    const onExit = (): void => void child.kill('SIGTERM');
    process.on('exit', onExit);
    child.once('exit', () => process.off('exit', onExit));
  }
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      // In its own group the guard leads the group, the server in it: a SIGKILL goes to both.
      const kill = (): void => {
        try {
          if (opts.ownProcessGroup && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
          else child.kill('SIGKILL');
        } catch {
          // gone already
        }
      };
      const timer = setTimeout(kill, opts.stopGraceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  };
  try {
    await waitForPort(opts, child);
  } catch (err) {
    await stop();
    throw err;
  }
  return { child, stop };
}
