import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort, locateTemporalCli, startDevServer, type RunningDevServer } from '../../packages/dev-server/src';
import { feedConfig, startEnv, tempDir, waitFor, writeConfig, type TestEnv } from '../support/harness';
import { CLI } from '../support/cli-process';

// Loud, clean failures: a stack that cannot start says what and how to fix it and exits non-zero within seconds,
// leaving no process behind; one Ctrl-C stops a stack that is still starting; a worker started before its Temporal
// server waits, saying so, and starts working once the server is up.

const root = path.resolve(__dirname, '../..');

interface Run { child: ChildProcess; log: string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }

const children: ChildProcess[] = [];
afterEach(() => {
  // A failed expectation must not leave a stack or worker running.
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function run(args: string[], dir: string, env: Record<string, string | undefined> = {}): Run {
  const log = path.join(dir, `${args[0]}-${Date.now()}.log`);
  const out = fs.openSync(log, 'a');
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', out, out], env: { ...process.env, TEMPORAL_ADDRESS: '', ENTRA_INGEST_CONFIG: '', ...env } });
  fs.closeSync(out);
  children.push(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, log, exited };
}

const logOf = (r: Run): string => fs.readFileSync(r.log, 'utf8');

/** Processes (other than this test's own) whose command line mentions `marker`: what a failed start must not leave. */
function processesMentioning(marker: string): string[] {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid).flatMap((p) => {
    try {
      const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
      return cmd.includes(marker) ? [`${p}: ${cmd}`] : [];
    } catch {
      return [];
    }
  });
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((i) => !test(i))];
}

async function devArgs(dataDir: string, overrides: Record<string, number> = {}): Promise<string[]> {
  const ports = { '--ui-port': await freePort(), '--temporal-port': await freePort(), '--simulator-port': await freePort(), '--metrics-port': await freePort(), ...overrides };
  return ['dev', '--data-dir', dataDir, ...Object.entries(ports).flatMap(([flag, port]) => [flag, String(port)])];
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms))]);

test('dev with its metrics port taken exits non-zero in seconds, naming the port and the flag, and leaves no process', async () => {
  const dir = tempDir('port-taken');
  const squatter = net.createServer();
  await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
  const port = (squatter.address() as net.AddressInfo).port;
  try {
    // The control: the detector below sees a process that mentions the data dir while one runs.
    const dev = run(await devArgs(dir, { '--metrics-port': port }), dir);
    expect(processesMentioning(dir).length).toBeGreaterThan(0);
    const started = Date.now();
    const { code } = await within(dev.exited, 20_000, 'exiting');
    expect(code).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(logOf(dev)).toContain(`port ${port} (worker metrics) is already in use`);
    expect(logOf(dev)).toContain('--metrics-port');
    expect(processesMentioning(dir)).toEqual([]);
  } finally {
    squatter.close();
  }
});

test('one Ctrl-C while the dev stack is still starting stops it, and the Temporal dev server with it', async () => {
  const dir = tempDir('ctrl-c');
  const dev = run(await devArgs(dir), dir);
  // The dev server runs (its command line names the data dir's database), started by its guard (which stops it if
  // dev dies), and the stack is not up yet.
  await waitFor('the dev server to be started', () => (logOf(dev).includes('starting the Graph simulator') ? true : undefined), 60_000, 100);
  const [guards, servers] = partition(processesMentioning(path.join(dir, 'temporal.db')), (p) => p.includes('die-with-parent.js'));
  expect([guards.length, servers.length]).toEqual([1, 1]);
  dev.child.kill('SIGINT');
  const { code } = await within(dev.exited, 30_000, 'stopping after one SIGINT');
  expect(code).toBe(0);
  expect(logOf(dev)).not.toContain('entra-ingest is running');
  expect(processesMentioning(dir)).toEqual([]);
});

test('a worker with a config mistake exits 2 in seconds, naming the field and the feed', async () => {
  const dir = tempDir('bad-config');
  const file = path.join(dir, 'feeds.yaml');
  fs.writeFileSync(file, 'feeds:\n  - id: acme\n    window: banana\n    tenantId: 00000000-0000-0000-0000-000000000000\n    clientId: 11111111-1111-1111-1111-111111111111\n    credential: { clientSecret: { env: NOPE } }\n    sources: { directoryAudits: { enabled: true } }\n    sinks: [{ type: file, root: ocsf }]\n');
  const worker = run(['worker', '--config', file], dir);
  const { code } = await within(worker.exited, 20_000, 'exiting');
  expect(code).toBe(2);
  expect(logOf(worker)).toMatch(/feeds\[0\] \(feed "acme"\)\.window/);
  expect(processesMentioning(file)).toEqual([]);
});

describe('a worker started before Temporal is reachable', () => {
  let env: TestEnv;
  let server: RunningDevServer | undefined;
  afterAll(async () => {
    await server?.stop();
    await env?.cleanup();
  });

  test('waits with a clear log line, then works once the server is up; SIGTERM stops it cleanly', async () => {
    env = await startEnv('late-temporal');
    const loaded = writeConfig(env, feedConfig(env));
    const port = await freePort();
    const worker = run(['worker', '--config', loaded.source], env.dir, { TEMPORAL_ADDRESS: `127.0.0.1:${port}`, ENTRA_INGEST_TASK_QUEUE: env.taskQueue });
    await waitFor('the worker to say it waits', () => ((logOf(worker).match(/waiting for Temporal at 127\.0\.0\.1:\d+: tcp connect error: Connection refused; retrying in/g) ?? []).length >= 2 ? true : undefined), 30_000, 200);
    expect(worker.child.exitCode).toBeNull();
    const cli = locateTemporalCli({ projectRoot: root, install: false });
    server = await startDevServer({ cliPath: cli.path, port, headless: true });
    await waitFor('the worker to be ready', () => (logOf(worker).includes('worker ready') ? true : undefined), 120_000, 500);
    expect(logOf(worker)).toContain('connected to Temporal');
    worker.child.kill('SIGTERM');
    expect((await within(worker.exited, 30_000, 'stopping')).code).toBe(0);
  });
});
