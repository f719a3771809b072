import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingestWindow, windowWorkflowId, type IngestWindowInput } from '@entra-ingest/workflows';
import { feedConfig, fileSinkEvents, startEnv, writeConfig, type TestEnv } from '../support/harness';
import { spawnWorker, workerReady, type WorkerProcess } from '../support/worker-process';

// The production image without Docker: the Dockerfile's `pnpm --filter @entra-ingest/cli deploy --prod` output, run
// on its own (no workspace node_modules above it), answers --help and runs a worker that reads a window end to end:
// workflow bundle, Graph client, mapping, file sink. A package that loads an undeclared dependency fails here.

const root = path.resolve(__dirname, '../..');
let out: string;
let env: TestEnv | undefined;
let worker: WorkerProcess | undefined;

beforeAll(() => {
  // Outside the repository, as in the image, so nothing resolves from the workspace's node_modules.
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'entra-ingest-deploy-'));
  const r = spawnSync('pnpm', ['--filter', '@entra-ingest/cli', 'deploy', '--prod', '--offline', out], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`pnpm deploy failed (exit ${r.status}): ${r.stderr}${r.stdout}`);
});

afterAll(async () => {
  await worker?.kill('SIGKILL');
  await env?.cleanup();
  fs.rmSync(out, { recursive: true, force: true });
});

test('the deploy output answers --help with every command', () => {
  const r = spawnSync(process.execPath, [path.join(out, 'bin/entra-ingest.js'), '--help'], { cwd: out, encoding: 'utf8', timeout: 30_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  for (const command of ['dev', 'worker', 'schedule', 'backfill', 'check', 'map']) expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
});

test('a worker from the deploy output reads a window against the dev server and delivers its events', async () => {
  env = await startEnv('deploy', { eventsPerMinute: 10, historyDays: 1 });
  const loaded = writeConfig(env, feedConfig(env, { window: '10m', rateLimit: { requests: 50, per: '10s' } }));
  worker = spawnWorker(loaded.source, env.taskQueue, path.join(env.dir, 'worker.log'), path.join(out, 'bin/entra-ingest.js'));
  await workerReady(worker, 90_000);
  const end = Math.floor((Date.now() - 60 * 60_000) / 600_000) * 600_000;
  const input: IngestWindowInput = { feed: 'test', source: 'directoryAudits', windowStart: new Date(end - 600_000).toISOString(), windowEnd: new Date(end).toISOString(), sweepDelaysMs: [] };
  const handle = await env.client.workflow.start(ingestWindow, { taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/${windowWorkflowId('test', 'directoryAudits', input.windowStart, input.windowEnd)}`, args: [input] });
  await handle.result();
  const expected = env.simulator.groundTruth({ source: 'directoryAudits', from: input.windowStart, to: input.windowEnd }).map((r) => r.id).sort();
  expect(expected.length).toBeGreaterThan(0);
  expect(fileSinkEvents(path.join(env.dir, 'data/ocsf')).map((e) => e.id).sort()).toEqual(expected);
  await worker.kill('SIGTERM');
  expect(worker.child.exitCode).toBe(0);
});
