import path from 'node:path';
import { FileBlobStore, RecordIndex, hourBucket } from '@entra-ingest/store';
import { ingestWindow, windowWorkflowId, windowsBetween, type IngestWindowInput } from '@entra-ingest/workflows';
import { startReceiver } from '../chaos/receiver';
import { exactlyOnce, feedConfig, fileSinkEvents, startEnv, startWorker, waitFor, writeConfig, type TestEnv } from '../support/harness';

// Claim leases: a window terminated while it holds claims (its SIEM sink down, the file sink already has its events)
// releases nothing. Once its lease has run out, windows of another size take its records over and deliver each once
// to every sink: to the SIEM, and not again to the file sink that had them.

const MIN = 60_000;
const LEASE_MS = 8_000;
let env: TestEnv;

afterEach(async () => {
  await env?.cleanup();
});

test('a terminated window\'s claims are taken over after the lease: each record once to every sink', async () => {
  env = await startEnv('lease', { eventsPerMinute: 20, historyDays: 1 });
  const receiver = await startReceiver();
  receiver.setFailing(true);
  const loaded = writeConfig(env, {
    ...feedConfig(env, {
      window: '1m',
      sinks: [{ type: 'file', id: 'file', root: 'ocsf' }, { type: 'http', id: 'siem', url: receiver.url, batchSize: 50, timeout: '5s' }],
    }),
    claimLease: `${LEASE_MS / 1000}s`,
  } as never);
  const worker = await startWorker(env, loaded);
  try {
    const base = Math.floor((Date.now() - 3 * 60 * MIN) / (10 * MIN)) * 10 * MIN;
    const range = { start: new Date(base).toISOString(), end: new Date(base + 10 * MIN).toISOString() };
    const pacing = { blockedRetryMs: 1000, transientRetryMs: 1000 };
    const input: IngestWindowInput = { feed: 'test', source: 'directoryAudits', windowStart: range.start, windowEnd: range.end, sweepDelaysMs: [], pacing };
    const big = await env.client.workflow.start(ingestWindow, { taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/${windowWorkflowId('test', 'directoryAudits', range.start, range.end)}`, args: [input] });
    await waitFor('the SIEM to refuse a batch', () => (receiver.stats().failedOn503 > 0 ? true : undefined), 120_000);
    const ids = env.simulator.groundTruth({ source: 'directoryAudits', from: range.start, to: range.end }).filter((r) => Date.parse(r.time) < base + 10 * MIN).map((r) => r.id);
    // The window claims a part before it sends it, and the file sink gets every part while the SIEM is down: once
    // the file has every event, the window holds every record.
    await waitFor('the file sink to have every event', () => (exactlyOnce(fileSinkEvents(path.join(env.dir, 'data/ocsf')).map((e) => e.id), ids).lost.length === 0 ? true : undefined), 120_000);
    await big.terminate('operator terminates the window');
    const expected = [...new Set([hourBucket(base), hourBucket(base + 10 * MIN - 1)])];
    const index = new RecordIndex(new FileBlobStore(path.join(env.dir, 'data/store')), 'test', 'directoryAudits');
    // Control: the terminated window still holds its records (nothing released them), so without leases nobody
    // else would deliver them to the SIEM.
    const held = (await Promise.all(expected.map(async (b) => Object.values((await index.read(b)).claims).flat().length))).reduce((a, b) => a + b, 0);
    expect(held).toBe(ids.length);
    expect(exactlyOnce(fileSinkEvents(path.join(env.dir, 'data/ocsf')).map((e) => e.id), ids).lost).toEqual([]);

    await new Promise((r) => setTimeout(r, LEASE_MS + 1000));
    receiver.setFailing(false);
    const handles = await Promise.all(windowsBetween(base, base + 10 * MIN, MIN).map((w) => env.client.workflow.start(ingestWindow, {
      taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/${windowWorkflowId('test', 'directoryAudits', w.start, w.end)}`,
      args: [{ feed: 'test', source: 'directoryAudits', windowStart: w.start, windowEnd: w.end, sweepDelaysMs: [], pacing } satisfies IngestWindowInput],
    })));
    const totals = await Promise.all(handles.map((h) => h.result()));
    expect(totals.reduce((n, t) => n + t.delivered, 0)).toBe(ids.length);
    expect(exactlyOnce(fileSinkEvents(path.join(env.dir, 'data/ocsf')).map((e) => e.id), ids)).toEqual({ lost: [], duplicated: [], unexpected: [] });
    expect(exactlyOnce(receiver.accepted().map((e) => e.id), ids)).toEqual({ lost: [], duplicated: [], unexpected: [] });
    // Everything settled: no claim of the terminated window is left.
    for (const b of expected) expect((await index.read(b)).claims).toEqual({});
  } finally {
    await worker.stop();
    await receiver.close();
  }
});
