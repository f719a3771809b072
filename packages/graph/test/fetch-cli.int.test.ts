import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RunningSimulator } from '@entra-ingest/graph-simulator';
import { SIM_CLIENT, SIM_SECRET, SIM_TENANT, pastWindow, simulator } from './helpers/simulator';

// `entra-ingest fetch`, the real built CLI in a child process, against the Graph simulator.

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'packages/cli/bin/entra-ingest.js');

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let sim: RunningSimulator;
beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'packages/cli/dist/commands/fetch.js'))) {
    throw new Error('the CLI is not built: run `pnpm exec tsc -b packages/cli` first');
  }
  sim = await simulator({ throttle: { enabled: true }, faults: { http5xx: 0.05, resetMidBody: 0.05, duplicateAcrossPages: 0.3 } });
});
afterAll(() => sim?.close());

const connectionArgs = () => ['--tenant-id', SIM_TENANT, '--client-id', SIM_CLIENT, '--cloud', 'custom', '--login-url', sim.url, '--graph-url', sim.url, '--ca-file', sim.caPath!];

it('fetch of a 6-hour window through faults and throttling: exactly the visible ground-truth ids, once each', async () => {
  const w = pastWindow(6);
  const { code, stdout, stderr } = await run(
    ['fetch', '--source', 'directoryAudits', '--from', w.from, '--to', w.to, ...connectionArgs(), '--client-secret-env', 'SIM_APP_SECRET'],
    { SIM_APP_SECRET: SIM_SECRET },
  );
  expect({ code, stderrTail: stderr.slice(-600) }).toEqual({ code: 0, stderrTail: expect.any(String) });

  const records = stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; activityDateTime: string });
  const ids = records.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  const truth = sim.groundTruth({ source: 'directoryAudits', tenant: SIM_TENANT, from: w.from, to: w.to }).filter((r) => r.visible).map((r) => r.id);
  expect(truth.length).toBeGreaterThan(1000);
  expect(new Set(ids)).toEqual(new Set(truth));
  // Times compared as instants (as strings, "…:00.5Z" sorts before "…:00Z"); `le` includes the whole last second.
  for (const r of records) expect(Date.parse(r.activityDateTime) >= Date.parse(w.from) && Date.parse(r.activityDateTime) < Date.parse(w.to) + 1000).toBe(true);

  // Progress on stderr: the Retry-After waits it honoured, retries of the injected faults, pages, the total.
  const stats = sim.stats();
  expect(stats.throttled).toBeGreaterThan(0);
  const waits = stderr.match(/^throttled: waiting \d+\.\d s \(Retry-After\)$/gm) ?? [];
  expect(waits.length).toBe(stats.throttled);
  expect(stderr).toMatch(/^retrying: /m);
  expect(stderr).toMatch(new RegExp(`^done: ${ids.length} records in \\d+ pages, \\d+ duplicates dropped$`, 'm'));
  expect(stats.faults.duplicateAcrossPages ?? 0).toBeGreaterThan(0);
  expect(stderr).not.toContain(SIM_SECRET);
}, 180_000);

it('a wrong secret exits 1 naming the fix; bad usage exits 2', async () => {
  const w = pastWindow(1);
  const wrong = await run(['fetch', '--source', 'signIns', '--from', w.from, '--to', w.to, ...connectionArgs(), '--client-secret-env', 'SIM_APP_SECRET'], { SIM_APP_SECRET: 'not-the-secret' });
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toMatch(/AADSTS7000215.*secret is wrong/);
  expect(wrong.stderr).not.toContain('not-the-secret');
  expect(wrong.stdout).toBe('');

  const usage = await run(['fetch', '--source', 'directoryAudits', ...connectionArgs(), '--client-secret-env', 'SIM_APP_SECRET'], { SIM_APP_SECRET: SIM_SECRET });
  expect(usage.code).toBe(2);
  expect(usage.stderr).toMatch(/needs --from and --to/);
}, 60_000);
