import crypto from 'node:crypto';
import path from 'node:path';
import {
  type BackfillProgress, alignDown, backfillProgressQuery, backfillWorkflowId, pauseSignal, resumeSignal, windowWorkflowId, windowsBetween,
} from '@entra-ingest/workflows';
import { backfillHandle, startBackfill } from '../../packages/cli/src/backfill-control';
import { exactlyOnce, feedConfig, fileSinkEvents, startEnv, startWorker, waitFor, writeConfig, type TestEnv } from '../support/harness';
import { spawnWorker, workerReady, type WorkerProcess } from '../support/worker-process';
import { runCliProcess as runCli, type CliRun } from '../support/cli-process';

// Backfills on the real dev server against the simulator (throttling on: 5 report requests per 10 s per tenant):
// exactly once through faults, pause, cancel, a killed worker and overlapping starts; windows that split by volume;
// an unaligned range covered exactly. Every test has its own feed id, so window ids never collide between tests.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let env: TestEnv;
const workers: WorkerProcess[] = [];

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill('SIGKILL')));
  await env?.cleanup();
});

const newFeedId = (): string => `bf${crypto.randomBytes(4).toString('hex')}`;

/** A closed range of whole windows ending a couple of windows before now (all records visible by then). */
function rangeOf(days: number, windowMs: number): { from: string; to: string } {
  const to = alignDown(Date.now(), windowMs) - windowMs;
  return { from: new Date(to - days * DAY).toISOString(), to: new Date(to).toISOString() };
}

function truthIds(env: TestEnv, from: string, to: string): string[] {
  return env.simulator.groundTruth({ source: 'directoryAudits', from, to }).filter((r) => Date.parse(r.time) < Date.parse(to)).map((r) => r.id);
}

function deliveredIds(env: TestEnv): string[] {
  return fileSinkEvents(path.join(env.dir, 'data/ocsf')).map((e) => e.id);
}


const runCliProcess = (env: TestEnv, args: string[]): Promise<CliRun> => runCli(args, { ENTRA_INGEST_TASK_QUEUE: env.taskQueue });

const query = (h: ReturnType<typeof backfillHandle>): Promise<BackfillProgress> => h.query(backfillProgressQuery);

/** Waits until the backfill's progress passes `test`; the query exists only once the workflow has read the feed. */
function progressWhen(h: ReturnType<typeof backfillHandle>, what: string, test: (p: BackfillProgress) => boolean, timeoutMs = 90_000): Promise<BackfillProgress> {
  return waitFor(what, async () => {
    const p = await query(h).catch(() => undefined);
    return p && test(p) ? p : undefined;
  }, timeoutMs, 200);
}

test('a 3-day backfill with 5xx faults and throttling, paused and resumed half-way, delivers the ground truth exactly once', async () => {
  env = await startEnv('backfill', { historyDays: 4, eventsPerMinute: 2, faults: { http5xx: 0.05 }, throttle: { enabled: true } });
  const feed = newFeedId();
  // 3h windows: 24 report reads at 5 per 10 s keep the test near a minute.
  const loaded = writeConfig(env, feedConfig(env, { id: feed, window: '3h' }));
  const worker = await startWorker(env, loaded);
  try {
    const { from, to } = rangeOf(3, 3 * HOUR);
    // The real CLI with --wait: its exit code says whether every window was read.
    const waiting = runCliProcess(env, ['backfill', '--config', loaded.source, '--feed', feed, '--source', 'directoryAudits', '--from', from, '--to', to, '--window', '3h', '--concurrency', '4', '--wait']);
    const handle = backfillHandle(env.client, { feed, source: 'directoryAudits', from, to });
    await progressWhen(handle, 'a few windows read', (p) => p.windowsDone >= 4);

    await handle.signal(pauseSignal);
    const settled = await waitFor('running windows to finish after the pause', async () => {
      const p = await query(handle);
      return p.running === 0 ? p : undefined;
    }, 60_000, 250);
    expect(settled.paused).toBe(true);
    expect(settled.windowsDone).toBeLessThan(settled.windowsTotal);
    await new Promise((r) => setTimeout(r, 4000));
    const later = await query(handle);
    // Paused: nothing new was started while we waited (a window's report of its read may arrive just after its
    // completion, so the done count is not compared).
    expect(later).toMatchObject({ paused: true, running: 0, nextIndex: settled.nextIndex, windowsTotal: settled.windowsTotal });

    await handle.signal(resumeSignal);
    const cli = await waiting;
    expect(cli.stderr).not.toMatch(/entra-ingest: error/);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^started backfill\//m);
    expect(cli.stdout).toMatch(/^done: 24 windows read, 0 already read before, 0 failed; \d+ events delivered$/m);

    const final = await handle.result();
    expect(final).toMatchObject({ windowsTotal: 24, windowsDone: 24, windowsFailed: 0, paused: false, running: 0 });
    const expected = truthIds(env, from, to);
    expect(expected.length).toBeGreaterThan(3 * 24 * 60); // ~2 per minute over 3 days
    expect(exactlyOnce(deliveredIds(env), expected)).toEqual({ lost: [], duplicated: [], unexpected: [] });
    expect(final.eventsDelivered).toBe(expected.length);
    // Graph's limit was on, and the tenant's task queue kept the backfill under it: no storm of 429s.
    const stats = env.simulator.stats();
    const requests = Object.values(stats.byStatus).reduce((n, c) => n + (c ?? 0), 0);
    expect(stats.byStatus['429'] ?? 0).toBeLessThanOrEqual(Math.max(2, requests * 0.05));
    expect(env.simulator.stats().faults.http5xx ?? 0).toBeGreaterThan(0);
  } finally {
    await worker.stop();
  }
});

test('cancelling keeps completed windows delivered, starts nothing more, and a restart reads the rest exactly once', async () => {
  env = await startEnv('backfill-cancel', { historyDays: 2, eventsPerMinute: 2 });
  const feed = newFeedId();
  const loaded = writeConfig(env, feedConfig(env, { id: feed, window: '2h' }));
  const worker = await startWorker(env, loaded);
  try {
    const { from, to } = rangeOf(1, 2 * HOUR);
    const windows = windowsBetween(Date.parse(from), Date.parse(to), 2 * HOUR);
    const first = await startBackfill(env.client, { feed, source: 'directoryAudits', from, to, windowMs: 2 * HOUR, concurrency: 2, taskQueue: env.taskQueue });
    expect(first.outcome).toBe('started');
    await progressWhen(first.handle, 'two windows read', (p) => p.windowsDone >= 2);
    await first.handle.cancel();
    await expect(first.handle.result()).rejects.toThrow();
    expect((await first.handle.describe()).status.name).toBe('CANCELLED');

    const windowStatus = async (): Promise<Record<string, string>> => {
      const out: Record<string, string> = {};
      for (const w of windows) {
        try {
          out[w.start] = (await env.client.workflow.getHandle(windowWorkflowId(feed, 'directoryAudits', w.start, w.end)).describe()).status.name;
        } catch {
          // never started
        }
      }
      return out;
    };
    // Children are cancelled with their parent; wait until none runs any more.
    const afterCancel = await waitFor('window workflows to stop', async () => {
      const s = await windowStatus();
      return Object.values(s).includes('RUNNING') ? undefined : s;
    }, 60_000, 500);
    const completed = windows.filter((w) => afterCancel[w.start] === 'COMPLETED');
    expect(completed.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(afterCancel).length).toBeLessThan(windows.length);
    await new Promise((r) => setTimeout(r, 3000));
    expect(await windowStatus()).toEqual(afterCancel); // no window started after the cancel

    const delivered = deliveredIds(env);
    const all = exactlyOnce(delivered, truthIds(env, from, to));
    expect(all.duplicated).toEqual([]);
    expect(all.unexpected).toEqual([]);
    for (const w of completed) {
      const missing = truthIds(env, w.start, w.end).filter((id) => !delivered.includes(id));
      expect({ window: w.start, missing }).toEqual({ window: w.start, missing: [] });
    }

    // A cancelled backfill may be started again: windows read before are skipped by their ids, the rest are read.
    const again = await startBackfill(env.client, { feed, source: 'directoryAudits', from, to, windowMs: 2 * HOUR, concurrency: 4, taskQueue: env.taskQueue });
    expect(again.outcome).toBe('started');
    const final = await again.handle.result();
    expect(final.windowsSkipped).toBe(completed.length);
    expect(final.windowsDone + final.windowsSkipped).toBe(windows.length);
    expect(exactlyOnce(deliveredIds(env), truthIds(env, from, to))).toEqual({ lost: [], duplicated: [], unexpected: [] });
  } finally {
    await worker.stop();
  }
});

test('a worker process SIGKILLed during a backfill is replaced and every record is still delivered exactly once', async () => {
  env = await startEnv('backfill-kill', { historyDays: 2, eventsPerMinute: 2, faults: { slowResponse: 0.3, slowResponseMs: 700 } });
  const feed = newFeedId();
  const loaded = writeConfig(env, feedConfig(env, { id: feed, window: '2h' }));
  const first = spawnWorker(loaded.source, env.taskQueue, path.join(env.dir, 'worker-1.log'));
  workers.push(first);
  await workerReady(first);
  const { from, to } = rangeOf(1, 2 * HOUR);
  const started = await startBackfill(env.client, { feed, source: 'directoryAudits', from, to, windowMs: 2 * HOUR, concurrency: 4, taskQueue: env.taskQueue });
  const before = await progressWhen(started.handle, 'some windows read', (p) => p.windowsDone >= 2);
  expect(before.windowsDone).toBeLessThan(before.windowsTotal);
  await first.kill('SIGKILL');
  const second = spawnWorker(loaded.source, env.taskQueue, path.join(env.dir, 'worker-2.log'));
  workers.push(second);
  await workerReady(second);
  const final = await started.handle.result();
  expect(final.windowsFailed).toBe(0);
  expect(final.windowsDone).toBe(final.windowsTotal);
  expect(exactlyOnce(deliveredIds(env), truthIds(env, from, to))).toEqual({ lost: [], duplicated: [], unexpected: [] });
}, 240_000); // a killed activity is retried after its heartbeat timeout (2 minutes)

test('two overlapping starts of the same backfill attach to one run; starting it after it completed does not re-run it', async () => {
  env = await startEnv('backfill-twice', { historyDays: 1, eventsPerMinute: 2 });
  const feed = newFeedId();
  const loaded = writeConfig(env, feedConfig(env, { id: feed, window: '2h' }));
  const worker = await startWorker(env, loaded);
  try {
    const { from, to } = rangeOf(0.25, 2 * HOUR); // 3 windows
    const args = ['backfill', '--config', loaded.source, '--feed', feed, '--source', 'directoryAudits', '--from', from, '--to', to, '--window', '2h'];
    const [a, b] = await Promise.all([runCliProcess(env, args), runCliProcess(env, args)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const firstLines = [a.stdout, b.stdout].map((s) => s.split('\n')[0]!).sort();
    const id = backfillWorkflowId(feed, 'directoryAudits', from, to);
    expect(firstLines[0]).toMatch(new RegExp(`^already running, attached to ${id.replace(/[/.]/g, '\\$&')}:`));
    expect(firstLines[1]).toMatch(new RegExp(`^started ${id.replace(/[/.]/g, '\\$&')}:`));

    const handle = backfillHandle(env.client, { workflowId: id });
    const result = await handle.result();
    expect(result.windowsDone).toBe(3);
    const again = await runCliProcess(env, args);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^already done: .* completed earlier \(3 windows read, 0 already read before, 0 failed; \d+ events delivered\); not run again$/m);

    const runs: string[] = [];
    for await (const w of env.client.workflow.list({ query: `WorkflowId = '${id}'` })) runs.push(w.runId);
    expect(runs).toHaveLength(1);
    expect(exactlyOnce(deliveredIds(env), truthIds(env, from, to))).toEqual({ lost: [], duplicated: [], unexpected: [] });

    const status = await runCliProcess(env, ['backfill', 'status', '--workflow-id', id]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/: completed: 100% \| windows 3\/3 \|/);
  } finally {
    await worker.stop();
  }
});

test('a busy range starts as one window, splits by volume with about the minimum of Graph requests, and an unaligned --to is covered', async () => {
  // ~12,000 audits over 10 hours; throttling on. Small pieces (3 pages) so the split goes two levels deep quickly.
  env = await startEnv('backfill-split', { historyDays: 1, eventsPerMinute: 20, throttle: { enabled: true } });
  const feed = newFeedId();
  const loaded = writeConfig(env, feedConfig(env, { id: feed, window: '5m' }));
  const worker = await startWorker(env, loaded);
  try {
    const end = alignDown(Date.now(), HOUR) - HOUR - 26_000 - 17; // not on any window boundary
    const from = new Date(end - 10 * HOUR).toISOString();
    const to = new Date(end).toISOString();
    const before = env.simulator.stats();
    const started = await startBackfill(env.client, {
      feed, source: 'directoryAudits', from, to, concurrency: 4, taskQueue: env.taskQueue, splitPolicy: { maxPages: 3, maxPieces: 32 },
    });
    const final = await started.handle.result();
    const expected = truthIds(env, from, to);
    expect(expected.length).toBeGreaterThan(10_000);
    expect(exactlyOnce(deliveredIds(env), expected)).toEqual({ lost: [], duplicated: [], unexpected: [] });
    // The last 26 s of the range are read: records there exist and were delivered.
    expect(truthIds(env, new Date(end - 26_000).toISOString(), to).length).toBeGreaterThan(0);
    expect(final).toMatchObject({ percent: 100, windowsFailed: 0, windowsSkipped: 0, eventsDelivered: expected.length, running: 0 });
    expect(final.windowsTotal).toBeGreaterThan(1);
    expect(final.windowsDone).toBe(final.windowsTotal);
    // Requests: one per 1,000 records, plus at most one partly filled page per window.
    const after = env.simulator.stats();
    const pages = (after.byStatus['200'] ?? 0) - (before.byStatus['200'] ?? 0) - (after.tokensIssued - before.tokensIssued);
    expect(pages).toBeLessThanOrEqual(Math.ceil(expected.length / 1000) + final.windowsTotal);
    expect(after.byStatus['429'] ?? 0).toBeLessThanOrEqual(2);
  } finally {
    await worker.stop();
  }
}, 180_000);

// A fetch reads ten pages at 50 requests a second, one at Graph's 5 per 10 s: the repeats meet inside a fetch, or
// across two (the page before's ids travel with the next link). In the second the backfill's window does not spread
// after its first page, so it reads three pages, one a fetch, before it may split.
test.each([
  ['inside one fetch', { requests: 50, per: '1s' }, {}],
  ['across fetches', { requests: 5, per: '10s' }, { maxPages: 5, spreadTo: 0 }],
])('pages that repeat the previous page\'s last records (Graph resuming a little early) still let a busy window split, exactly once: %s', async (_, rateLimit, spread) => {
  // ~6,000 audits over 5 hours; every page's next link resumes 1–5 records early.
  env = await startEnv('backfill-repeats', { historyDays: 1, eventsPerMinute: 20, faults: { duplicateAcrossPages: 1 } });
  const feed = newFeedId();
  const loaded = writeConfig(env, feedConfig(env, { id: feed, window: '5m', rateLimit }));
  const worker = await startWorker(env, loaded);
  try {
    const end = alignDown(Date.now(), HOUR) - HOUR;
    const from = new Date(end - 5 * HOUR).toISOString();
    const to = new Date(end).toISOString();
    const started = await startBackfill(env.client, {
      feed, source: 'directoryAudits', from, to, concurrency: 4, taskQueue: env.taskQueue, splitPolicy: { maxPages: 3, maxPieces: 32, ...spread },
    });
    const final = await started.handle.result();
    const expected = truthIds(env, from, to);
    expect(expected.length).toBeGreaterThan(5_000);
    expect(env.simulator.stats().faults.duplicateAcrossPages ?? 0).toBeGreaterThan(2);
    expect(exactlyOnce(deliveredIds(env), expected)).toEqual({ lost: [], duplicated: [], unexpected: [] });
    // Split by volume: with the repeats taken for an order break, the range would be read as one window, page by page.
    expect(final.windowsTotal).toBeGreaterThan(1);
    expect(final).toMatchObject({ percent: 100, windowsFailed: 0, eventsDelivered: expected.length });
  } finally {
    await worker.stop();
  }
}, 180_000);
