import path from 'node:path';
import { ingestWindow, windowWorkflowId, windowsBetween, type IngestWindowInput } from '@entra-ingest/workflows';
import { startReceiver, type IdempotentReceiver } from '../chaos/receiver';
import { exactlyOnce, feedConfig, startEnv, writeConfig, type TestEnv } from '../support/harness';
import { spawnWorker, workerReady, type WorkerProcess } from '../support/worker-process';

// The one crash window delivery cannot close on its own: the receiver took a batch, the worker died before the
// answer. The retry must send that batch again as it was (same records, same Idempotency-Key) before any of its
// records goes out in another batch — here after a config change that cuts every other batch differently. The
// batch in flight is recorded by record ids only and rebuilt from the events the retry maps again.

const MIN = 60_000;
let env: TestEnv | undefined;
let receiver: IdempotentReceiver | undefined;
const workers: WorkerProcess[] = [];

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill('SIGKILL')));
  await receiver?.close();
  await env?.cleanup();
});

test('a batch the receiver took as the worker died is sent again verbatim, even after the batch size changed', async () => {
  env = await startEnv('in-flight', { eventsPerMinute: 30, historyDays: 1 });
  receiver = await startReceiver();
  const httpSink = (batchSize: number) => ({ sinks: [{ type: 'http', id: 'siem', url: receiver!.url, batchSize }], window: '60m', rateLimit: { requests: 50, per: '10s' } });
  const loaded = writeConfig(env, feedConfig(env, httpSink(40)));
  const now = Date.now();
  const [w] = windowsBetween(now - 3 * 60 * MIN, now - 2 * 60 * MIN, 60 * MIN);
  const expected = env.simulator.groundTruth({ source: 'directoryAudits', from: w!.start, to: w!.end }).filter((r) => Date.parse(r.time) < Date.parse(w!.end)).map((r) => r.id);
  expect(expected.length).toBeGreaterThan(400);

  const held = receiver.holdBatch(4);
  const first = spawnWorker(loaded.source, env.taskQueue, path.join(env.dir, 'worker-1.log'));
  workers.push(first);
  await workerReady(first);
  const input: IngestWindowInput = { feed: 'test', source: 'directoryAudits', windowStart: w!.start, windowEnd: w!.end, sweepDelaysMs: [], pacing: { blockedRetryMs: 2000, transientRetryMs: 1000 } };
  const handle = await env.client.workflow.start(ingestWindow, { taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/${windowWorkflowId('test', 'directoryAudits', w!.start, w!.end)}`, args: [input] });
  const inFlight = await held;
  await first.kill('SIGKILL');
  expect(inFlight.ids).toHaveLength(40);

  // Another batch size from now on: only a verbatim resend keeps the taken records from arriving again under new keys.
  writeConfig(env, feedConfig(env, httpSink(70)));
  const second = spawnWorker(loaded.source, env.taskQueue, path.join(env.dir, 'worker-2.log'));
  workers.push(second);
  await workerReady(second);
  await handle.result();

  const keys = receiver.keysReceived();
  expect(keys.filter((k) => k === inFlight.key)).toHaveLength(2);
  expect(receiver.stats().repeatsIgnored).toBeGreaterThanOrEqual(1);
  const delivered = receiver.accepted().map((e) => e.id);
  expect(exactlyOnce(delivered, expected)).toEqual({ lost: [], duplicated: [], unexpected: [] });
  // Control: the check sees a record taken twice (what a resend under a new key would have caused).
  expect(exactlyOnce([...delivered, inFlight.ids[0]!], expected).duplicated).toEqual([inFlight.ids[0]]);
});
