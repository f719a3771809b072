import path from 'node:path';
import { ingestWindow, windowWorkflowId, windowsBetween, type IngestWindowInput } from '@entra-ingest/workflows';
import { exactlyOnce, feedConfig, fileSinkEvents, startEnv, waitFor, writeConfig, type TestEnv } from '../support/harness';
import { spawnWorker, workerReady, type WorkerProcess } from '../support/worker-process';

// Workers as real processes: one SIGKILLed in the middle of its windows, and two sharing one task queue.

const MIN = 60_000;
let env: TestEnv;
const workers: WorkerProcess[] = [];

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill('SIGKILL')));
  await env?.cleanup();
});

async function startWindows(env: TestEnv, windows: { start: string; end: string }[]) {
  return Promise.all(windows.map((w) => {
    const input: IngestWindowInput = { feed: 'test', source: 'directoryAudits', windowStart: w.start, windowEnd: w.end, sweepDelaysMs: [], pacing: { blockedRetryMs: 2000, transientRetryMs: 1000 } };
    return env.client.workflow.start(ingestWindow, { taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/${windowWorkflowId('test', 'directoryAudits', w.start, w.end)}`, args: [input] });
  }));
}

function expectedIds(env: TestEnv, windows: { start: string; end: string }[]): string[] {
  return windows.flatMap((w) => env.simulator.groundTruth({ source: 'directoryAudits', from: w.start, to: w.end }).filter((r) => Date.parse(r.time) < Date.parse(w.end)).map((r) => r.id));
}

test('a worker SIGKILLed mid-window is replaced and every record is still delivered exactly once', async () => {
  // Slow responses keep activities in flight long enough to be killed in the middle.
  env = await startEnv('sigkill', { eventsPerMinute: 30, historyDays: 1, faults: { slowResponse: 0.3, slowResponseMs: 800 } });
  const loaded = writeConfig(env, feedConfig(env, { window: '20m', rateLimit: { requests: 50, per: '10s' } }));
  const first = spawnWorker(loaded.source, env.taskQueue, path.join(env.dir, 'worker-1.log'));
  workers.push(first);
  await workerReady(first);
  const now = Date.now();
  const windows = windowsBetween(now - 4 * 60 * MIN, now - 60 * MIN, 20 * MIN);
  const handles = await startWindows(env, windows);
  // Kill once some but not all windows have delivered.
  await waitFor('first deliveries', () => (fileSinkEvents(path.join(env.dir, 'data/ocsf')).length > 0 ? true : undefined), 90_000, 100);
  await first.kill('SIGKILL');
  const second = spawnWorker(loaded.source, env.taskQueue, path.join(env.dir, 'worker-2.log'));
  workers.push(second);
  await workerReady(second);
  await Promise.all(handles.map((h) => h.result()));
  const delivered = fileSinkEvents(path.join(env.dir, 'data/ocsf')).map((e) => e.id);
  expect(exactlyOnce(delivered, expectedIds(env, windows))).toEqual({ lost: [], duplicated: [], unexpected: [] });
});

test('two workers on one task queue share the windows and deliver each record once', async () => {
  env = await startEnv('two-workers', { eventsPerMinute: 20, historyDays: 1 });
  const loaded = writeConfig(env, feedConfig(env, { window: '15m', rateLimit: { requests: 50, per: '10s' } }));
  for (const n of [1, 2]) {
    const w = spawnWorker(loaded.source, env.taskQueue, path.join(env.dir, `worker-${n}.log`));
    workers.push(w);
    await workerReady(w);
  }
  const now = Date.now();
  const windows = windowsBetween(now - 5 * 60 * MIN, now - 60 * MIN, 15 * MIN);
  const handles = await startWindows(env, windows);
  await Promise.all(handles.map((h) => h.result()));
  const delivered = fileSinkEvents(path.join(env.dir, 'data/ocsf')).map((e) => e.id);
  expect(exactlyOnce(delivered, expectedIds(env, windows))).toEqual({ lost: [], duplicated: [], unexpected: [] });
  // Both workers did activity work (each logged its own activity completions or at least polled).
  const pollers = (await env.client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: env.taskQueue }, taskQueueType: 2 })).pollers ?? [];
  expect(new Set(pollers.map((p) => p.identity)).size).toBeGreaterThanOrEqual(2);
});
