// A worker as a real child process (the built CLI), so tests can SIGKILL it like an operator's bad day.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const CLI = path.resolve(__dirname, '../../packages/cli/bin/entra-ingest.js');

export interface WorkerProcess {
  child: ChildProcess;
  logFile: string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `cli`: the entry point to run (default: the workspace's; the deploy test passes the `pnpm deploy` output's). */
export function spawnWorker(configFile: string, taskQueue: string, logFile: string, cli = CLI): WorkerProcess {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [cli, 'worker', '--config', configFile], {
    env: { ...process.env, TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS, ENTRA_INGEST_TASK_QUEUE: taskQueue, ENTRA_INGEST_LOG_LEVEL: 'info' },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  return {
    child,
    logFile,
    kill(signal: NodeJS.Signals = 'SIGKILL') {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
  };
}

/** Resolves once the worker logged that it is polling. */
export async function workerReady(w: WorkerProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(w.logFile) && fs.readFileSync(w.logFile, 'utf8').includes('worker ready')) return;
    if (w.child.exitCode !== null) throw new Error(`worker exited with ${w.child.exitCode}: ${fs.readFileSync(w.logFile, 'utf8').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('worker did not become ready');
}
