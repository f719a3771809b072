import path from 'node:path';
import { ingestWindow, windowWorkflowId, type IngestWindowInput } from '@entra-ingest/workflows';
import { startReceiver, type IdempotentReceiver } from '../chaos/receiver';
import { exactlyOnce, feedConfig, fileSinkEvents, startEnv, startWorker, waitFor, writeConfig, type TestEnv } from '../support/harness';

// A backfill window splits where its first read stops, and that depends on what Graph shows at the time. Here the
// first attempt reads a page, the file sink takes it, the HTTP sink is down, so the pass is read again — after
// records arrived late at the window's newest end, so the same first page now reaches less far back. The records
// the first attempt claimed below that point must still reach the HTTP sink, once (a chaos run lost 592 so).

const MIN = 60_000;
let env: TestEnv | undefined;
let receiver: IdempotentReceiver | undefined;

afterEach(async () => {
  await receiver?.close();
  await env?.cleanup();
});

test('a split window read again after late arrivals delivers what its first attempt claimed, once to each sink', async () => {
  // The simulator's clock runs 20 minutes behind until the first attempt has failed, then catches up: the records of
  // the window's last quarter hour that were not visible yet (the latency tail) appear between the two reads.
  let behindMs = 20 * MIN;
  env = await startEnv('split-retry', {
    eventsPerMinute: 40, historyDays: 1, clock: () => Date.now() - behindMs,
    latency: { p50Seconds: 30, maxSeconds: 15 * 60, tailShare: 0.4 },
  });
  receiver = await startReceiver();
  const loaded = writeConfig(env, feedConfig(env, {
    sinks: [{ type: 'file', id: 'file', root: 'ocsf' }, { type: 'http', id: 'siem', url: receiver.url, batchSize: 500 }],
  }));
  const simNow = Date.now() - behindMs;
  const w = { start: new Date(simNow - 61 * MIN).toISOString(), end: new Date(simNow - MIN).toISOString() };
  const visibleNow = () => env!.simulator.groundTruth({ source: 'directoryAudits', from: w.start, to: w.end })
    .filter((r) => r.visible && Date.parse(r.time) < Date.parse(w.end)).map((r) => r.id);
  const before = visibleNow().length;

  receiver.setFailing(true);
  const worker = await startWorker(env, loaded);
  try {
    const input: IngestWindowInput = {
      feed: 'test', source: 'directoryAudits', windowStart: w.start, windowEnd: w.end, sweepDelaysMs: [],
      pacing: { blockedRetryMs: 2000, transientRetryMs: 20_000, deliverAttempts: 1 },
      split: { maxPages: 1, maxPieces: 4, concurrency: 2 },
    };
    const handle = await env.client.workflow.start(ingestWindow, {
      taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/${windowWorkflowId('test', 'directoryAudits', w.start, w.end)}`, args: [input],
    });
    // The first attempt sends each part to the file sink, then to the HTTP sink, which refuses; it goes on with the
    // file sink alone, then fails; the window waits 20 s before it reads again.
    await waitFor('the HTTP sink to refuse the first attempt', () => (receiver!.stats().failedOn503 > 0 ? true : undefined), 120_000, 100);
    const filed = () => fileSinkEvents(path.join(env!.dir, 'data/ocsf')).map((e) => e.id);
    const firstAttemptFiled = await waitFor('the file sink to have the first page', () => (filed().length > 900 ? filed() : undefined), 15_000, 100);
    behindMs = 0;
    receiver.setFailing(false);
    const totals = await handle.result();

    const expected = visibleNow();
    // The setting is what it claims: records did arrive late inside the window, and the first attempt sent a page.
    expect(expected.length - before).toBeGreaterThan(30);
    expect(expected.length).toBeGreaterThan(2 * firstAttemptFiled.length);
    const toHttp = receiver.accepted().map((e) => e.id);
    const toFile = fileSinkEvents(path.join(env.dir, 'data/ocsf')).map((e) => e.id);
    expect(exactlyOnce(toHttp, expected)).toEqual({ lost: [], duplicated: [], unexpected: [] });
    expect(exactlyOnce(toFile, expected)).toEqual({ lost: [], duplicated: [], unexpected: [] });
    expect(totals.delivered).toBe(expected.length);
    // Control: the check finds a record the HTTP sink never got.
    expect(exactlyOnce(toHttp.slice(1), expected).lost).toHaveLength(1);
  } finally {
    await worker.stop();
  }
});
