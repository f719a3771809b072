import path from 'node:path';
import { alignDown, ingestWindow, windowWorkflowId, type IngestWindowInput } from '@entra-ingest/workflows';
import { DEMO_PERMISSIONS } from '@entra-ingest/graph-simulator';
import { CLIENT, TENANT, feedConfig, fileSinkEvents, startEnv, writeConfig, type TestEnv } from '../support/harness';
import { spawnWorker, workerReady, type WorkerProcess } from '../support/worker-process';

// Risk records change in place (riskState, lastUpdatedDateTime). Read by last-update time, each change is a new
// version: a detection that changes state twice is delivered as three versions, each exactly once, although a
// worker process is SIGKILLed in the middle of one read and every window is swept again.
//
// The simulator's clock is the test's: each window is read while its version is the current one, as a schedule
// running in real time would, without waiting real minutes between the changes.

const MIN = 60_000;
const WINDOW = 5 * MIN;
let env: TestEnv;
const workers: WorkerProcess[] = [];
let simNow = Date.now();

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill('SIGKILL')));
  await env?.cleanup();
});

function riskEvents(root: string): { uid: string; findingUid: string }[] {
  return fileSinkEvents(root)
    .filter((e) => e.classUid === 2004)
    .map((e) => ({ uid: e.id, findingUid: e.id.split('@')[0]! }));
}

test('a detection that changes state twice is delivered as three versions, each once, across a worker crash', async () => {
  simNow = Date.now();
  env = await startEnv('risk-versions', {
    clock: () => simNow,
    historyDays: 1,
    riskPerMinute: 1,
    riskChanges: { minSeconds: 600, maxSeconds: 1200 },
    throttle: { enabled: false },
    tenants: [{
      tenantId: TENANT, premium: true, users: 40, groups: 8,
      clients: [{ clientId: CLIENT, secret: { value: 'replaced-below', expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString() }, permissions: DEMO_PERMISSIONS }],
    }],
  });
  env.simulator.rotateSecret(TENANT, CLIENT, env.secret, new Date(Date.now() + 90 * 86_400_000).toISOString());
  // A detection of the past day whose three versions are all in the history, the first well after its start.
  const versions = env.simulator.groundTruth({ source: 'riskDetections', from: new Date(simNow - 20 * 3_600_000).toISOString(), to: new Date(simNow - 3_600_000).toISOString() });
  const byId = new Map<string, typeof versions>();
  for (const v of versions) byId.set(v.id, [...(byId.get(v.id) ?? []), v]);
  const [detection, three] = [...byId.entries()].find(([, vs]) => vs.length === 3)!;
  expect(three.map((v) => v.version)).toEqual(three.map((v) => `${detection}@${v.time}`));

  const loaded = writeConfig(env, feedConfig(env, { sources: { riskDetections: { enabled: true } }, window: '5m', rateLimit: { requests: 50, per: '10s' } }));
  const spawn = async (n: number): Promise<WorkerProcess> => {
    const w = spawnWorker(loaded.source, env.taskQueue, path.join(env.dir, `worker-${n}.log`));
    workers.push(w);
    await workerReady(w);
    return w;
  };
  let worker = await spawn(1);
  const readWindowOf = async (version: (typeof three)[number], crash: boolean): Promise<void> => {
    const t = Date.parse(version.time);
    simNow = t + 2 * MIN; // this version is current (the next change is at least ten minutes later)
    const start = alignDown(t, WINDOW);
    // One sweep, read at once: the same version again, which must not be delivered twice.
    const input: IngestWindowInput = {
      feed: 'test', source: 'riskDetections', windowStart: new Date(start).toISOString(), windowEnd: new Date(start + WINDOW).toISOString(),
      sweepDelaysMs: [0], pacing: { blockedRetryMs: 2000, transientRetryMs: 1000 },
    };
    if (crash) env.simulator.setFaults({ slowResponse: 1, slowResponseMs: 2500 });
    const handle = await env.client.workflow.start(ingestWindow, {
      taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/${windowWorkflowId('test', 'riskDetections', input.windowStart, input.windowEnd)}`, args: [input],
    });
    if (crash) {
      // Killed while its Graph read is in flight; a new worker process takes the window over.
      await new Promise((r) => setTimeout(r, 1500));
      await worker.kill('SIGKILL');
      env.simulator.setFaults({ slowResponse: 0 });
      worker = await spawn(2);
    }
    await handle.result();
  };
  await readWindowOf(three[0]!, false);
  await readWindowOf(three[1]!, true);
  await readWindowOf(three[2]!, false);

  const delivered = riskEvents(path.join(env.dir, 'data/ocsf'));
  const ofDetection = delivered.filter((e) => e.findingUid === detection).map((e) => e.uid).sort();
  expect(ofDetection).toEqual(three.map((v) => v.version).sort());
  // Nothing at all twice: every delivered version of every detection is unique.
  const uids = delivered.map((e) => e.uid);
  expect(uids.length).toBe(new Set(uids).size);
  expect(uids.length).toBeGreaterThan(3);
});
