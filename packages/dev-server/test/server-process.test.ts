import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/server-process';

// The dev stack runs the Temporal server in a process group of its own (a terminal's Ctrl-C must not stop it before
// the worker has drained). A dev process that dies without stopping it — SIGKILL, a crash — must not leave it
// running on its port for the next `pnpm start` to trip over.

const dist = path.resolve(__dirname, '../dist/server-process.js');
let dir: string;
const started: ChildProcess[] = [];

beforeAll(() => {
  if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: run pnpm build first`);
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-process-'));
});
afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => { s.destroy(); resolve(false); });
  });

async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A process that starts a "server" (a Node script listening on `port`) and then idles, as the dev stack does; `how`
 * is `guarded` (startServerProcess with a process group of its own) or `bare` (the same spawn without the guard:
 * the control).
 */
function starter(port: number, how: 'guarded' | 'bare'): { proc: ChildProcess; serverPid: () => number } {
  const server = path.join(dir, 'server.js');
  fs.writeFileSync(server, `require('net').createServer().listen(${port}, '127.0.0.1'); setInterval(() => {}, 1e9);\n`);
  const pidFile = path.join(dir, 'server.pid');
  const script = path.join(dir, 'starter.js');
  fs.writeFileSync(script, how === 'guarded'
    ? `require(${JSON.stringify(dist)}).startServerProcess({ name: 'test server', binary: process.execPath, args: [${JSON.stringify(server)}],
        host: '127.0.0.1', port: ${port}, startTimeoutMs: 10000, stopGraceMs: 2000, ownProcessGroup: true })
        .then(() => setInterval(() => {}, 1e9));\n`
    : `const c = require('child_process').spawn(process.execPath, [${JSON.stringify(server)}], { stdio: 'ignore', detached: true });
       require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); setInterval(() => {}, 1e9);\n`);
  const proc = spawn(process.execPath, [script], { stdio: 'ignore' });
  started.push(proc);
  return { proc, serverPid: () => Number(fs.readFileSync(pidFile, 'utf8')) };
}

test('the server of a starter killed with SIGKILL stops with it', async () => {
  const port = await freePort();
  const { proc } = starter(port, 'guarded');
  await until('the server to listen', () => listening(port));
  proc.kill('SIGKILL');
  await until('the server to stop after its starter died', async () => !(await listening(port)));
});

test('the control: the same server without the guard outlives its killed starter', async () => {
  const port = await freePort();
  const { proc, serverPid } = starter(port, 'bare');
  await until('the server to listen', () => listening(port));
  proc.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 2000));
  try {
    expect(await listening(port)).toBe(true);
  } finally {
    process.kill(serverPid(), 'SIGKILL');
  }
});
