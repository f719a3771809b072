import fs from 'node:fs';
import path from 'node:path';
import { ingestWindow, usersSync, windowWorkflowId, windowsBetween, type IngestWindowInput, type UsersSyncInput } from '@entra-ingest/workflows';
import { exactlyOnce, feedConfig, fileSinkEvents, startEnv, startWorker, waitFor, writeConfig, type TestEnv } from '../support/harness';

// A feed blocked for long (its secret is wrong): its windows and its users round keep a bounded history
// (continue-as-new inside the retry loop), the worker asks Entra for a token once per probe interval for the feed
// rather than once per workflow and retry, and everything wakes and delivers once the secret is fixed.

const MIN = 60_000;
let env: TestEnv;

afterEach(async () => {
  await env?.cleanup();
});

test('blocked windows continue as new, share one health probe per feed, and wake when the feed recovers', async () => {
  env = await startEnv('blocked', { eventsPerMinute: 10, historyDays: 1 });
  const secretFile = path.join(env.dir, 'blocked-secret');
  fs.writeFileSync(secretFile, 'not-the-secret');
  const base = feedConfig(env);
  const feed = { ...(base.feeds as Record<string, unknown>[])[0]!, credential: { clientSecret: { file: 'blocked-secret' } } };
  const loaded = writeConfig(env, { ...base, feeds: [feed] as never });
  const worker = await startWorker(env, loaded);
  try {
    const end = Math.floor((Date.now() - 2 * 60 * MIN) / (10 * MIN)) * 10 * MIN;
    const windows = windowsBetween(end - 40 * MIN, end, 10 * MIN);
    const requestsBefore = env.simulator.stats().requests;
    const handles = await Promise.all(windows.map((w) => {
      const input: IngestWindowInput = {
        feed: 'test', source: 'directoryAudits', windowStart: w.start, windowEnd: w.end, sweepDelaysMs: [],
        pacing: { blockedRetryMs: 250, transientRetryMs: 250, attemptsPerRun: 4 },
      };
      return env.client.workflow.start(ingestWindow, { taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/${windowWorkflowId('test', 'directoryAudits', w.start, w.end)}`, args: [input] });
    }));
    // Each window fails 4 times per run, then continues as new: wait for a few runs of every window.
    await waitFor('every blocked window to continue as new at least twice', async () => {
      const runs = await Promise.all(handles.map(async (h) => {
        let n = 0;
        for await (const _ of env.client.workflow.list({ query: `WorkflowId = "${h.workflowId}"` })) n++;
        return n;
      }));
      return runs.every((n) => n >= 3) ? runs : undefined;
    }, 90_000, 1000);
    // 4 windows × ≥ 8 attempts would be ≥ 32 token requests without the gate; with it, one per probe interval (60 s).
    const asked = env.simulator.stats().requests - requestsBefore;
    expect(asked).toBeGreaterThanOrEqual(1);
    expect(asked).toBeLessThanOrEqual(3);
    // The current run's history is short, however long the window has been blocked.
    const history = await handles[0]!.fetchHistory();
    expect(history.events!.length).toBeLessThan(150);

    fs.writeFileSync(secretFile, env.secret);
    const totals = await Promise.all(handles.map((h) => h.result()));
    const expected = env.simulator.groundTruth({ source: 'directoryAudits', from: windows[0]!.start, to: new Date(end).toISOString() })
      .filter((r) => Date.parse(r.time) < end).map((r) => r.id);
    const delivered = fileSinkEvents(path.join(env.dir, 'data/ocsf')).map((e) => e.id);
    expect(exactlyOnce(delivered, expected)).toEqual({ lost: [], duplicated: [], unexpected: [] });
    expect(totals.reduce((n, t) => n + t.delivered, 0)).toBe(expected.length);
  } finally {
    await worker.stop();
  }
});

test('a blocked users round continues as new with its round, shares the feed\'s probe, and delivers every user once when fixed', async () => {
  env = await startEnv('users-blocked', { eventsPerMinute: 1, historyDays: 1 });
  const secretFile = path.join(env.dir, 'blocked-secret');
  fs.writeFileSync(secretFile, 'not-the-secret');
  const base = feedConfig(env, { sources: { users: { enabled: true } } });
  const feed = { ...(base.feeds as Record<string, unknown>[])[0]!, credential: { clientSecret: { file: 'blocked-secret' } } };
  const loaded = writeConfig(env, { ...base, feeds: [feed] as never });
  const worker = await startWorker(env, loaded);
  try {
    const requestsBefore = env.simulator.stats().requests;
    const input: UsersSyncInput = { feed: 'test', pacing: { blockedRetryMs: 250, transientRetryMs: 250, attemptsPerRun: 4 } };
    const handle = await env.client.workflow.start(usersSync, { taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/users-blocked`, args: [input] });
    const runs = await waitFor('the blocked round to continue as new at least twice', async () => {
      const inputs: UsersSyncInput[] = [];
      for await (const r of env.client.workflow.list({ query: `WorkflowId = "${handle.workflowId}"` })) {
        const history = await env.client.workflow.getHandle(handle.workflowId, r.runId).fetchHistory();
        inputs.push(await decodeInput(history));
      }
      return inputs.length >= 3 ? inputs : undefined;
    }, 90_000, 1000);
    // Each later run carries the same round (its key names the round's claims) and counts the attempts before it.
    const resumed = runs.filter((i) => i.resume).map((i) => i.resume!);
    expect(resumed.length).toBeGreaterThanOrEqual(2);
    expect(new Set(resumed.map((r) => `${r.round}/${r.roundKey}`)).size).toBe(1);
    expect(Math.max(...resumed.map((r) => r.attemptsBefore))).toBeGreaterThanOrEqual(8);
    // ≥ 8 attempts, but the feed's gate let through one token request per probe interval (60 s).
    const asked = env.simulator.stats().requests - requestsBefore;
    expect(asked).toBeGreaterThanOrEqual(1);
    expect(asked).toBeLessThanOrEqual(3);
    expect((await handle.fetchHistory()).events!.length).toBeLessThan(150);

    const fixedAt = new Date().toISOString();
    fs.writeFileSync(secretFile, env.secret);
    const result = await handle.result();
    expect(result).toMatchObject({ round: 1, fullResync: true });
    const latest = new Map<string, { id: string; deleted?: boolean }>();
    for (const u of env.simulator.groundTruth({ source: 'users', from: new Date(0).toISOString(), to: fixedAt }).sort((a, b) => a.time.localeCompare(b.time))) latest.set(u.id, u);
    const users = [...latest.values()].filter((u) => !u.deleted).map((u) => u.id);
    const delivered = fileSinkEvents(path.join(env.dir, 'data/ocsf')).filter((e) => e.source === 'users').map((e) => e.id);
    expect(users.length).toBeGreaterThan(0);
    const check = exactlyOnce(delivered, users);
    expect({ lost: check.lost, duplicated: check.duplicated }).toEqual({ lost: [], duplicated: [] });
    expect(result.delivered).toBe(delivered.length);
  } finally {
    await worker.stop();
  }
});

/** The input a run started with, decoded from its first history event (JSON payloads). */
async function decodeInput(history: Awaited<ReturnType<ReturnType<TestEnv['client']['workflow']['getHandle']>['fetchHistory']>>): Promise<UsersSyncInput> {
  const payload = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
  return JSON.parse(Buffer.from(payload.data!).toString('utf8')) as UsersSyncInput;
}
