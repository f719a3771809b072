import fs from 'node:fs';
import path from 'node:path';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { scheduledIngest, usersSync } from '@entra-ingest/workflows';
import { exactlyOnce, feedConfig, fileSinkEvents, startEnv, startWorker, waitFor, writeConfig, type TestEnv } from '../support/harness';
import { scanHistories } from '../support/history-leaks';

// Recurring ingestion through real Temporal Schedules, catching up simulated hours, for directory audits, sign-ins
// and users; then every workflow history of the run is searched for event data, the secret and tokens.

const MIN = 60_000;
let env: TestEnv;

afterEach(async () => {
  await env?.cleanup();
});

function walkFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walkFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

test('schedules catch up three hours, deliver exactly the ground truth per source, and leave no event data or secret in history', async () => {
  env = await startEnv('schedules', { eventsPerMinute: 6, historyDays: 1, faults: { http5xx: 0.05 }, latency: { p50Seconds: 2, maxSeconds: 8, tailShare: 0.1 } });
  const loaded = writeConfig(env, feedConfig(env, {
    sources: { directoryAudits: { enabled: true }, signIns: { enabled: true }, users: { enabled: true } },
    window: '30m', every: '5s', lag: '10s', sweeps: ['20s'], initialLookback: '3h', maxWindowsPerRun: 2,
  }));
  const worker = await startWorker(env, loaded);
  const feed = loaded.config.feeds[0]!;
  const schedules: string[] = [];
  try {
    const createdAt = Date.now();
    for (const source of ['directoryAudits', 'signIns'] as const) {
      const id = `${env.taskQueue}/${source}`;
      schedules.push(id);
      await env.client.schedule.create({
        scheduleId: id,
        spec: { intervals: [{ every: '5s' }] },
        action: { type: 'startWorkflow', workflowType: scheduledIngest, args: [{ feed: feed.id, source, pacing: { blockedRetryMs: 2000, transientRetryMs: 1000 } }], taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/run/${source}` },
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
      });
    }
    const usersId = `${env.taskQueue}/users`;
    schedules.push(usersId);
    await env.client.schedule.create({
      scheduleId: usersId,
      spec: { intervals: [{ every: '10s' }] },
      action: { type: 'startWorkflow', workflowType: usersSync, args: [{ feed: feed.id }], taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/run/users` },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });

    // Three hours in 30-minute windows at two per run: several runs catch up, then sweeps run 20 s after each end.
    const root = path.join(env.dir, 'data/ocsf');
    const closedEnd = Math.floor((createdAt - 10_000) / (30 * MIN)) * 30 * MIN;
    const from = closedEnd - 3 * 60 * MIN;
    const expected = (source: 'directoryAudits' | 'signIns') => env.simulator
      .groundTruth({ source, from: new Date(from).toISOString(), to: new Date(closedEnd).toISOString() })
      .filter((r) => Date.parse(r.time) < closedEnd).map((r) => r.id);
    for (const source of ['directoryAudits', 'signIns'] as const) {
      await waitFor(`${source} caught up`, () => {
        const got = new Set(fileSinkEvents(root).filter((e) => e.source === source).map((e) => e.id));
        return expected(source).every((id) => got.has(id)) ? true : undefined;
      }, 150_000, 1000);
    }
    // Let the last windows finish their sweep, then compare exactly (windows before `from` may exist: exclude them).
    await new Promise((r) => setTimeout(r, 25_000));
    for (const source of ['directoryAudits', 'signIns'] as const) {
      const inRange = new Set(expected(source));
      const delivered = fileSinkEvents(root).filter((e) => e.source === source).map((e) => e.id);
      const check = exactlyOnce(delivered.filter((id) => inRange.has(id)), [...inRange]);
      expect({ source, lost: check.lost, duplicated: check.duplicated }).toEqual({ source, lost: [], duplicated: [] });
      expect(new Set(delivered).size).toBe(delivered.length);
    }
    // User inventory: every user that exists now arrived as a 5003 event (ground truth is a change log: the latest
    // change of each user says whether it still exists; one deleted before the first sync is rightly never seen).
    const latest = new Map<string, { id: string; deleted?: boolean }>();
    for (const u of env.simulator.groundTruth({ source: 'users', from: new Date(0).toISOString(), to: new Date().toISOString() }).sort((a, b) => a.time.localeCompare(b.time))) latest.set(u.id, u);
    const users = [...latest.values()].filter((u) => !u.deleted);
    await waitFor('users delivered', () => {
      const got = new Set(fileSinkEvents(root).filter((e) => e.source === 'users').map((e) => e.id));
      return users.every((u) => got.has(u.id)) ? true : undefined;
    }, 60_000, 1000);
    expect(fileSinkEvents(root).filter((e) => e.source === 'users').every((e) => e.classUid === 5003)).toBe(true);

    // Hygiene: no workflow history of this run holds a record id, a user name, the secret or a token.
    const recordIds = [...expected('directoryAudits').slice(0, 50), ...expected('signIns').slice(0, 50), ...users.slice(0, 20).map((u) => u.id)];
    const sample = JSON.parse(fs.readFileSync(fileSinkEvents(root).find((e) => e.source === 'directoryAudits')!.file, 'utf8').split('\n')[0]!) as { actor?: { user?: { name?: string } } };
    const needles = [env.secret, ...recordIds, sample.actor?.user?.name].filter((x): x is string => !!x);
    // Payloads decoded (inputs, results, memos, headers, failures, search attributes), not the base64 of them.
    const scan = await scanHistories(env.client, `TaskQueue = "${env.taskQueue}"`, Object.fromEntries(needles.map((n) => [n, n])));
    expect(scan.leaks).toEqual([]);
    expect(scan.payloadKinds).toEqual(expect.objectContaining({ input: expect.any(Number), result: expect.any(Number), upsertedMemo: expect.any(Number), searchAttributes: expect.any(Number) }));
    const histories = scan.histories;
    expect(histories).toBeGreaterThan(6);
    // …and no log file or data file holds the secret.
    for (const file of walkFiles(path.join(env.dir, 'data'))) expect(fs.readFileSync(file).includes(env.secret) ? file : 'clean').toBe('clean');
  } finally {
    for (const id of schedules) await env.client.schedule.getHandle(id).delete().catch(() => undefined);
    await worker.stop();
  }
});
