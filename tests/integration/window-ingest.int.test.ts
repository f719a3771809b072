import path from 'node:path';
import { ingestWindow, windowWorkflowId, windowsBetween, type IngestWindowInput, type WindowTotals } from '@entra-ingest/workflows';
import { startReceiver } from '../chaos/receiver';
import { exactlyOnce, feedConfig, fileSinkEvents, startEnv, startWorker, waitFor, writeConfig, type TestEnv } from '../support/harness';

// The heart of the product on the real dev server: window workflows read the simulator over HTTPS (throttling and
// faults on), map, and deliver to the file sink exactly the simulator's ground truth.

const MIN = 60_000;
let env: TestEnv;

afterEach(async () => {
  await env?.cleanup();
});

function truthIds(env: TestEnv, start: string, end: string, source: 'directoryAudits' | 'signIns' = 'directoryAudits'): string[] {
  return env.simulator
    .groundTruth({ source, from: start, to: end })
    .filter((r) => Date.parse(r.time) < Date.parse(end))
    .map((r) => r.id);
}

async function runWindows(env: TestEnv, windows: { start: string; end: string }[], sweepDelaysMs: number[], source: 'directoryAudits' | 'signIns' = 'directoryAudits'): Promise<WindowTotals[]> {
  const pacing = { blockedRetryMs: 2000, transientRetryMs: 1000 };
  const handles = await Promise.all(windows.map((w) => {
    const input: IngestWindowInput = { feed: 'test', source, windowStart: w.start, windowEnd: w.end, sweepDelaysMs, pacing };
    return env.client.workflow.start(ingestWindow, { taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/${windowWorkflowId('test', source, w.start, w.end)}`, args: [input] });
  }));
  return Promise.all(handles.map((h) => h.result()));
}

test('closed windows are delivered exactly once, with 5xx faults and throttling on', async () => {
  env = await startEnv('windows', { eventsPerMinute: 12, historyDays: 1, faults: { http5xx: 0.1, resetMidBody: 0.03 } });
  const loaded = writeConfig(env, feedConfig(env));
  const worker = await startWorker(env, loaded);
  try {
    const now = Date.now();
    const windows = windowsBetween(now - 4 * 60 * MIN, now - 2 * 60 * MIN, 30 * MIN);
    const totals = await runWindows(env, windows, []);
    const expected = windows.flatMap((w) => truthIds(env, w.start, w.end));
    expect(expected.length).toBeGreaterThan(200);
    const delivered = fileSinkEvents(path.join(env.dir, 'data/ocsf')).map((e) => e.id);
    expect(exactlyOnce(delivered, expected)).toEqual({ lost: [], duplicated: [], unexpected: [] });
    expect(totals.reduce((n, t) => n + t.delivered, 0)).toBe(expected.length);
    // Graph's `le` is inclusive and the simulator repeats records across pages: those were skipped, not re-sent.
    const stats = env.simulator.stats() as unknown as { faults?: Record<string, number> };
    expect(JSON.stringify(stats)).toMatch(/5\d\d|fault/i);
    // The alerting metrics saw the run: freshness as timestamps, Graph requests by status (the 5xx faults), latency.
    const metrics = await worker.worker.metrics.registry.getMetricsAsJSON();
    const values = (name: string) => (metrics.find((m) => m.name === name)?.values ?? []) as { value: number; labels: Record<string, string | number> }[];
    const newestEnd = Math.max(...windows.map((w) => Date.parse(w.end)));
    expect(values('entra_ingest_delivered_window_end_timestamp_seconds')).toEqual([expect.objectContaining({ value: newestEnd / 1000, labels: { feed: 'test', source: 'directoryAudits' } })]);
    const newestRecord = values('entra_ingest_newest_record_timestamp_seconds')[0]!.value * 1000;
    expect(newestRecord).toBeLessThan(newestEnd);
    expect(newestRecord).toBeGreaterThan(newestEnd - 30 * MIN);
    const byStatus = new Map(values('entra_ingest_graph_requests_total').map((v) => [String(v.labels.status), v.value]));
    expect(byStatus.get('200')).toBeGreaterThan(0);
    expect([...byStatus.keys()].some((s) => /^5\d\d$|^0$/.test(s))).toBe(true);
    expect(values('entra_ingest_graph_request_duration_seconds').find((v) => (v as { metricName?: string }).metricName?.endsWith('_count'))?.value).toBeGreaterThan(0);
  } finally {
    await worker.stop();
  }
});

test('records that become visible late are delivered by the sweeps, once', async () => {
  env = await startEnv('late', { eventsPerMinute: 600, historyDays: 1, latency: { p50Seconds: 4, maxSeconds: 20, tailShare: 0.3 } });
  const loaded = writeConfig(env, feedConfig(env, { window: '1m' }));
  const worker = await startWorker(env, loaded);
  try {
    // The first read happens before the window has even closed: every record of its last seconds, and those Graph
    // shows late, can only arrive through the sweeps (25 s and 45 s after the end, past the 20 s maximum latency).
    const end = Date.now() + 15_000;
    const windows = [{ start: new Date(end - MIN).toISOString(), end: new Date(end).toISOString() }];
    const [totals] = await runWindows(env, windows, [25_000, 45_000]);
    const expected = truthIds(env, windows[0]!.start, windows[0]!.end);
    const delivered = fileSinkEvents(path.join(env.dir, 'data/ocsf')).map((e) => e.id);
    expect(exactlyOnce(delivered, expected)).toEqual({ lost: [], duplicated: [], unexpected: [] });
    expect(totals!.late).toBeGreaterThan(0);
    expect(totals!.passesDone).toBe(3);
  } finally {
    await worker.stop();
  }
});

test('windows of different sizes over one range (schedule-like 1m windows, a 10m backfill, a re-run) deliver each record once', async () => {
  env = await startEnv('sizes', { eventsPerMinute: 20, historyDays: 1 });
  const loaded = writeConfig(env, feedConfig(env, { window: '1m' }));
  const worker = await startWorker(env, loaded);
  try {
    const base = Math.floor((Date.now() - 3 * 60 * MIN) / (10 * MIN)) * 10 * MIN;
    const range = { start: new Date(base).toISOString(), end: new Date(base + 20 * MIN).toISOString() };
    // The "schedule" read minutes 3..12 in 1-minute windows while a 10-minute "backfill" reads 0..20 at the same time.
    const minutes = windowsBetween(base + 3 * MIN, base + 12 * MIN, MIN);
    const [small, big] = await Promise.all([runWindows(env, minutes, []), runWindows(env, windowsBetween(base, base + 20 * MIN, 10 * MIN), [])]);
    // An operator reads the middle again with a window of yet another size.
    const [again] = await runWindows(env, [{ start: new Date(base + 5 * MIN).toISOString(), end: new Date(base + 15 * MIN).toISOString() }], []);
    const expected = truthIds(env, range.start, range.end);
    expect(expected.length).toBeGreaterThan(200);
    const delivered = fileSinkEvents(path.join(env.dir, 'data/ocsf')).map((e) => e.id);
    expect(exactlyOnce(delivered, expected)).toEqual({ lost: [], duplicated: [], unexpected: [] });
    // Control: the windows really did read the same records (else this proves nothing), and the skips were counted.
    const smallDelivered = small.reduce((n, t) => n + t.delivered, 0);
    const bigDelivered = big.reduce((n, t) => n + t.delivered, 0);
    expect(smallDelivered + bigDelivered).toBe(expected.length);
    expect(big.reduce((n, t) => n + t.duplicatesSkipped, 0) + small.reduce((n, t) => n + t.duplicatesSkipped, 0)).toBeGreaterThan(0);
    expect(again!.delivered).toBe(0);
    expect(again!.duplicatesSkipped).toBeGreaterThan(100);
  } finally {
    await worker.stop();
  }
});

test('a window cancelled while one sink is down gives its records back: windows of another size deliver each once to every sink', async () => {
  env = await startEnv('cancel', { eventsPerMinute: 20, historyDays: 1 });
  const receiver = await startReceiver();
  receiver.setFailing(true);
  const loaded = writeConfig(env, feedConfig(env, {
    window: '1m',
    sinks: [{ type: 'file', id: 'file', root: 'ocsf' }, { type: 'http', id: 'siem', url: receiver.url, batchSize: 50, timeout: '5s' }],
  }));
  const worker = await startWorker(env, loaded);
  try {
    const base = Math.floor((Date.now() - 3 * 60 * MIN) / (10 * MIN)) * 10 * MIN;
    const range = { start: new Date(base).toISOString(), end: new Date(base + 10 * MIN).toISOString() };
    const input: IngestWindowInput = { feed: 'test', source: 'directoryAudits', windowStart: range.start, windowEnd: range.end, sweepDelaysMs: [], pacing: { blockedRetryMs: 1000, transientRetryMs: 1000 } };
    const big = await env.client.workflow.start(ingestWindow, { taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/${windowWorkflowId('test', 'directoryAudits', range.start, range.end)}`, args: [input] });
    // The file sink took the events, the SIEM answers 503: the window is stuck delivering. Cancel it.
    await waitFor('the SIEM to refuse a batch', () => (receiver.stats().failedOn503 > 0 ? true : undefined), 120_000);
    await big.cancel();
    await expect(big.result()).rejects.toThrow();
    const expected = truthIds(env, range.start, range.end);
    expect(exactlyOnce(fileSinkEvents(path.join(env.dir, 'data/ocsf')).map((e) => e.id), expected).lost).toEqual([]);

    receiver.setFailing(false);
    const totals = await runWindows(env, windowsBetween(base, base + 10 * MIN, MIN), []);
    expect(totals.reduce((n, t) => n + t.delivered, 0)).toBe(expected.length);
    expect(exactlyOnce(fileSinkEvents(path.join(env.dir, 'data/ocsf')).map((e) => e.id), expected)).toEqual({ lost: [], duplicated: [], unexpected: [] });
    expect(exactlyOnce(receiver.accepted().map((e) => e.id), expected)).toEqual({ lost: [], duplicated: [], unexpected: [] });
  } finally {
    await worker.stop();
    await receiver.close();
  }
});
