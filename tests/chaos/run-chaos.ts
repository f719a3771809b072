// The chaos run: its own Temporal dev server on disk, worker processes, the Graph simulator with latency, throttling
// and faults, a feed of three sources delivering to a file sink and an HTTP receiver, recurring ingestion and a
// backfill (windows of other sizes, split by volume) over a range the schedule reads too — while a controller kills
// workers, restarts the server, breaks the receiver, expires the secret and changes the feed's window in its config
// (a rolling restart of the workers). At the end every sink is compared with the simulator's ground truth.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { stringify } from 'yaml';
import { type AppConfigInput, parseConfigText, parseDuration } from '@entra-ingest/config';
import { startSimulator, type FaultSettings, type RunningSimulator, type SimulatedTenant } from '@entra-ingest/graph-simulator';
import {
  type BackfillProgress, type RetryPacing, SA, alignDown, backfill, backfillProgressQuery, backfillWorkflowId, scheduleId, scheduledIngest, scheduledRunWorkflowId, usersSync,
} from '@entra-ingest/workflows';
import { freePort, locateTemporalCli, startDevServer, type RunningDevServer } from '../../packages/dev-server/src';
import { TenantModel } from '../../packages/graph-simulator/src/tenant-model';
import { readDeadLetters } from '@entra-ingest/sinks';
import { type BlobStore, FileBlobStore } from '@entra-ingest/store';
import { fileSinkEvents, tempDir } from '../support/harness';
import type { ChaosOptions } from './options';
import { makePlan, type ChaosPlan } from './plan';
import { startReceiver, type IdempotentReceiver } from './receiver';
import { type ChaosCounts, type DeliveredCopy, type ReadSpan, type SourceTally, summaryLine, tallySource, uncovered, windowSpanOfId } from './tally';
import { type ChaosS3, startChaosS3 } from './s3-mode';
import { WorkerPool } from './worker-pool';

const TENANT = '5c1e0b7a-3d2f-4e6a-9b8c-7d6e5f4a3b2c';
const CLIENT = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const FEED = 'chaos';
const MIN = 60_000;
const WINDOWED = ['directoryAudits', 'signIns'] as const;
type Windowed = (typeof WINDOWED)[number];

/**
 * Short retry pacing so a blocked feed is seen recovering within the run, and two delivery attempts per activity so the
 * receiver's outage outlasts the delivery activity's retries: the window then starts its step again.
 */
const PACING: RetryPacing = { blockedRetryMs: 4_000, transientRetryMs: 3_000, deliverAttempts: 2 };
/** Share of directory audits whose id holds a line break: refused as dead letters, never stored or delivered. */
const HOSTILE_ID_SHARE = 0.0005;
/** Records become visible within this (no slow tail), less than the feed's lag: a closed window's first read is complete. */
const LATENCY = { p50Seconds: 2, maxSeconds: 12, tailShare: 0 };
const LAG = '20s';
const FAULTS: Partial<FaultSettings> = {
  http5xx: 0.06, http5xxWithRetryAfter: 0.04, resetMidBody: 0.04, slowResponse: 0.04, slowResponseMs: 2_500,
  malformedJson: 0.04, truncatedPage: 0.04, duplicateAcrossPages: 0.3, revokeTokenMidPagination: 0.1,
};

export interface ChaosResult extends ChaosCounts {
  ok: boolean;
  line: string;
  sources: SourceTally[];
  /** Windows missing from a source's range (their records are counted as lost). */
  missingWindows: Record<string, string[]>;
  blockedSeen: string[];
  notes: string[];
  dir: string;
}

interface Ctx {
  opts: ChaosOptions;
  log: (line: string) => void;
  dir: string;
  client: Client;
  simulator: RunningSimulator;
  receiver: IdempotentReceiver;
  pool: WorkerPool;
  taskQueue: string;
  secretFile: string;
  s3?: ChaosS3;
  configFile: string;
  simUrl: string;
  notes: string[];
  backfillId?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Calls Temporal through a server restart: retried until it answers or the deadline passes. */
async function patiently<T>(what: string, call: () => Promise<T>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what}: ${(err as Error).message}`);
      await sleep(1000);
    }
  }
}

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text, { mode: 0o600 });
  fs.renameSync(temp, file);
}

function tenant(secret: string): SimulatedTenant {
  return {
    tenantId: TENANT, premium: true, users: 60, groups: 6, hostileAuditIds: HOSTILE_ID_SHARE,
    clients: [{
      clientId: CLIENT, secret: { value: secret, expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString() },
      permissions: ['AuditLog.Read.All', 'Directory.Read.All', 'User.Read.All', 'Application.Read.All'],
    }],
  };
}

function feedConfig(simUrl: string, receiverUrl: string, o: ChaosOptions, s3?: ChaosS3): AppConfigInput {
  return {
    dataDir: 'data',
    ...(s3 ? { store: s3.storeConfig() as never } : {}),
    validateEvents: true,
    feeds: [{
      id: FEED, tenantId: TENANT, clientId: CLIENT,
      credential: { clientSecret: { file: 'client-secret' } },
      cloud: 'custom', loginUrl: simUrl, graphUrl: simUrl, caFile: 'ca.pem',
      sources: { directoryAudits: { enabled: true }, signIns: { enabled: true }, users: { enabled: true } },
      window: o.window, every: '5s', lag: LAG, sweeps: ['30s'], initialLookback: '1h', maxWindowsPerRun: 12, usersEvery: '15s',
      // Two workers together send more than the simulator admits: some requests are throttled on purpose.
      rateLimit: { requests: 20, per: '10s' },
      sinks: [
        s3 ? (s3.sinkConfig() as never) : { type: 'file', id: 'file', root: 'ocsf' },
        { type: 'http', id: 'http', url: receiverUrl, batchSize: 500, timeout: '20s' },
      ],
    } as never],
  };
}

async function createSchedules(c: Ctx): Promise<string[]> {
  const ids: string[] = [];
  for (const source of [...WINDOWED, 'users'] as const) {
    const id = scheduleId(FEED, source);
    const common = { scheduleId: id, policies: { overlap: ScheduleOverlapPolicy.SKIP }, state: { triggerImmediately: true } };
    const workflowId = scheduledRunWorkflowId(FEED, source);
    if (source === 'users') {
      await c.client.schedule.create({
        ...common, spec: { intervals: [{ every: '15s' }] },
        action: { type: 'startWorkflow', workflowType: usersSync, args: [{ feed: FEED, pacing: PACING }], taskQueue: c.taskQueue, workflowId },
      });
    } else {
      await c.client.schedule.create({
        ...common, spec: { intervals: [{ every: '5s' }] },
        action: { type: 'startWorkflow', workflowType: scheduledIngest, args: [{ feed: FEED, source, pacing: PACING }], taskQueue: c.taskQueue, workflowId },
      });
    }
    ids.push(id);
  }
  return ids;
}

/** Workflow ids currently marked blocked (EntraStatus) among the feed's windows. */
async function blockedWindows(client: Client): Promise<string[]> {
  const out: string[] = [];
  for await (const wf of client.workflow.list({ query: `EntraKind = "window" AND EntraStatus = "blocked" AND ExecutionStatus = "Running"` })) out.push(wf.workflowId);
  return out;
}

async function backfillProgress(c: Ctx): Promise<BackfillProgress | undefined> {
  return c.backfillId ? c.client.workflow.getHandle<typeof backfill>(c.backfillId).query(backfillProgressQuery).catch(() => undefined) : undefined;
}

/** A line every 10 s while the plan runs: how far the backfill is, what the simulator served. */
function monitor(c: Ctx): () => void {
  const timer = setInterval(() => {
    void backfillProgress(c).then((p) => {
      const s = c.simulator.stats();
      c.log(`  backfill ${p ? `${p.percent}% (${p.windowsDone} done, ${p.windowsSkipped} already read, ${p.running} running)` : 'unknown'}; ` +
        `simulator ${s.requests} requests, ${s.recordsServed} records, ${s.throttled} throttled; workers ${c.pool.live()}`);
    });
  }, 10_000);
  return () => clearInterval(timer);
}

async function runPlan(c: Ctx, plan: ChaosPlan, phaseStart: number, restartServer: () => Promise<void>, blockedSeen: string[]): Promise<void> {
  const at = (ms: number) => sleep(phaseStart + ms - Date.now());
  const kills = (async () => {
    for (let i = 0; i < plan.killsAtMs.length; i++) {
      await at(plan.killsAtMs[i]!);
      await c.pool.killOne(plan.victimDraws[i]!);
    }
  })();
  const outage = (async () => {
    await at(plan.receiverOutage.atMs);
    c.receiver.setFailing(true);
    c.log(`HTTP receiver answers 503 for ${plan.receiverOutage.forMs / 1000} s`);
    await sleep(plan.receiverOutage.forMs);
    c.receiver.setFailing(false);
    c.log('HTTP receiver accepts again');
  })();
  const restart = (async () => {
    await at(plan.serverRestartAtMs);
    await restartServer();
  })();
  const secret = (async () => {
    // At the planned moment, or earlier once 30% of the backfill is read: windows must still be in flight to block.
    for (;;) {
      if (Date.now() >= phaseStart + plan.secretExpiryAtMs) break;
      const p = await backfillProgress(c);
      if (p && p.percent >= 30) break;
      await sleep(1000);
    }
    c.simulator.expireSecret(TENANT, CLIENT);
    const expiredAt = Date.now();
    c.log('app secret expired in the simulator');
    // Cached tokens stay good for a few seconds; then every read fails with AADSTS7000222 and windows block.
    const blocked = await patiently('waiting for a blocked window', async () => {
      const ids = await blockedWindows(c.client);
      if (!ids.length) throw new Error('no window is blocked yet');
      return ids;
    }, 150_000);
    blockedSeen.push(...blocked);
    c.log(`${blocked.length} window(s) blocked (EntraStatus=blocked) ${Math.round((Date.now() - expiredAt) / 1000)} s after expiry, e.g. ${blocked[0]}`);
    const rotated = `rotated-${crypto.randomBytes(16).toString('hex')}`;
    c.simulator.rotateSecret(TENANT, CLIENT, rotated, new Date(Date.now() + 90 * 86_400_000).toISOString());
    writeAtomically(c.secretFile, rotated);
    c.s3?.rotateSecret(rotated);
    c.log('secret rotated (simulator and the feed\'s secret file)');
  })();
  const reconfigure = (async () => {
    await at(plan.windowChangeAtMs);
    // Not a divisor of the old size: the new windows straddle the old ones, so records are read by both.
    const window = `${Math.max(1, Math.round((parseDuration(c.opts.window) * 2) / 5 / 1000))}s`;
    writeAtomically(c.configFile, stringify(feedConfig(c.simUrl, c.receiver.url, { ...c.opts, window }, c.s3)));
    c.log(`feed window changed in the config: ${c.opts.window} → ${window}; rolling restart of the workers`);
    await c.pool.rollAll();
    c.log('every worker runs the new config');
  })();
  await Promise.all([kills, outage, restart, secret, reconfigure]);
}

async function waitForBackfill(c: Ctx, workflowId: string, deadline: number): Promise<void> {
  const handle = c.client.workflow.getHandle<typeof backfill>(workflowId);
  let last = '';
  for (;;) {
    const status = await patiently('backfill status', async () => (await handle.describe()).status.name);
    if (status === 'COMPLETED') return;
    if (status !== 'RUNNING' && status !== 'CONTINUED_AS_NEW') throw new Error(`backfill ended ${status}`);
    if (Date.now() > deadline) throw new Error('backfill did not finish before the drain deadline');
    const p = await handle.query(backfillProgressQuery).catch(() => undefined);
    const line = p ? `backfill ${p.percent}% (${p.windowsDone} done, ${p.windowsSkipped} already read, ${p.running} running)` : '';
    if (line && line !== last) c.log(line);
    last = line;
    await sleep(3000);
  }
}

async function drain(c: Ctx, deadline: number): Promise<void> {
  for (;;) {
    const running = await patiently('counting running workflows', async () => Number((await c.client.workflow.count(`TaskQueue = "${c.taskQueue}" AND ExecutionStatus = "Running"`)).count));
    if (running === 0) return;
    if (Date.now() > deadline) throw new Error(`${running} workflow(s) still running at the drain deadline`);
    await sleep(2000);
  }
}

/** Spans of a source's completed window workflows, whatever their size (continue-as-new runs share an id: one each). */
async function completedWindows(client: Client, source: Windowed): Promise<ReadSpan[]> {
  const spans = new Map<string, ReadSpan>();
  for await (const wf of client.workflow.list({ query: `EntraKind = "window" AND EntraSource = "${source}" AND ExecutionStatus = "Completed"` })) {
    const span = windowSpanOfId(wf.workflowId);
    if (span) spans.set(wf.workflowId, span);
  }
  return [...spans.values()].sort((a, b) => a.start - b.start);
}

/** Users that exist at `cutoff`: the tenant's initial users folded with the changes up to then (ambiguous ones left out). */
function expectedUsers(simulator: RunningSimulator, seed: number, secret: string, cutoff: number): string[] {
  const state = new Map<string, boolean>(new TenantModel(seed, tenant(secret)).users.map((u) => [u.id, true]));
  const ambiguous = new Set<string>();
  for (const change of simulator.groundTruth({ source: 'users', from: new Date(0).toISOString(), to: new Date().toISOString() })) {
    if (Date.parse(change.time) > cutoff) ambiguous.add(change.id);
    else state.set(change.id, !change.deleted);
  }
  return [...state].filter(([id, exists]) => exists && !ambiguous.has(id)).map(([id]) => id);
}

/**
 * Record ids in the dead letters, per sink that refused them ('http': the receiver's permanent rejection) and '*' for
 * records no sink can take (an id that cannot be used). Read from the store every worker writes them to (the shared
 * folder's, or S3 when workers share nothing): the same place `entra-ingest dead-letters` reads.
 */
async function deadLetterIds(store: BlobStore): Promise<Record<string, Set<string>>> {
  const out: Record<string, Set<string>> = { '*': new Set() };
  for (const l of await readDeadLetters(store)) {
    const payload = l.payload as { id?: unknown; metadata?: { uid?: unknown } } | undefined;
    const sink = /^sink (\S+) rejected/.exec(l.reason)?.[1];
    const id = l.recordId ?? (typeof payload?.id === 'string' ? payload.id : typeof payload?.metadata?.uid === 'string' ? payload.metadata.uid : undefined);
    if (id === undefined) continue;
    if (sink) (out[sink] ??= new Set()).add(id);
    else if (l.reason.startsWith('record id cannot be used')) out['*']!.add(id);
  }
  return out;
}

async function sinkCopies(c: Pick<Ctx, 'dir' | 'receiver' | 's3'>, source: string): Promise<Record<string, DeliveredCopy[]>> {
  const scoped = source === 'users';
  const stored = c.s3 ? await c.s3.sinkEvents() : fileSinkEvents(path.join(c.dir, 'data/ocsf'));
  const copies = stored
    .filter((e) => e.source === source)
    .map((e) => ({ id: e.id, scope: scoped ? path.basename(e.file).split('-')[2]! : '' }));
  const http = c.receiver.accepted().filter((e) => e.source === source).map((e) => ({ id: e.id, scope: scoped ? e.scope : '' }));
  return { [c.s3 ? 's3' : 'file']: copies, http };
}

export async function runChaos(opts: ChaosOptions, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<ChaosResult> {
  const started = Date.now();
  const dir = tempDir('chaos');
  const notes: string[] = [];
  const root = path.resolve(__dirname, '../..');
  const cli = process.env.TEMPORAL_CLI ?? locateTemporalCli({ projectRoot: root, install: false }).path;
  const windowMs = parseDuration(opts.window);
  const port = await freePort();
  const dbFile = path.join(dir, 'temporal', 'db.sqlite');
  const serverLog = path.join(dir, 'temporal', 'server.log');
  const startServer = () => startDevServer({ cliPath: cli, port, headless: true, dbFile, logFile: serverLog });
  let server: RunningDevServer | undefined;
  let simulator: RunningSimulator | undefined;
  let receiver: IdempotentReceiver | undefined;
  let connection: Connection | undefined;
  let pool: WorkerPool | undefined;
  let s3: ChaosS3 | undefined;
  const scheduleIds: string[] = [];
  let clean = false;
  try {
    server = await startServer();
    const secret = `chaos-${crypto.randomBytes(16).toString('hex')}`;
    const secretFile = path.join(dir, 'client-secret');
    writeAtomically(secretFile, secret);
    simulator = await startSimulator({
      caOut: path.join(dir, 'ca.pem'), seed: opts.seed, tenants: [tenant(secret)],
      historyDays: opts.historyHours / 24, bulk: opts.events, latency: LATENCY, faults: FAULTS,
      throttle: { enabled: true, perTenantPer10s: 10 },
      // Short-lived tokens: msal renews 5 minutes before expiry, so a token is reused for a few seconds only and an
      // expired secret shows at once (every token request is a sign-in with the secret).
      tokenLifetimeSeconds: 305,
    });
    receiver = await startReceiver();
    let cfgText = '';
    if (opts.store === 's3') s3 = await startChaosS3({ dir, configText: () => cfgText, secretFile, caFile: path.join(dir, 'ca.pem') });
    cfgText = stringify(feedConfig(simulator.url, receiver.url, opts, s3));
    const configFile = path.join(dir, 'feeds.yaml');
    parseConfigText(cfgText, configFile); // fail here, clearly, rather than in every worker
    fs.writeFileSync(configFile, cfgText);
    const taskQueue = `chaos-${crypto.randomUUID()}`;
    fs.mkdirSync(path.join(dir, 'logs'));
    pool = new WorkerPool(s3 ? s3.prepareWorker : configFile, taskQueue, server.address, path.join(dir, 'logs'), log);
    connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    const c: Ctx = { opts, log, dir, client, simulator, receiver, pool, taskQueue, secretFile, configFile, simUrl: simulator.url, notes, ...(s3 ? { s3 } : {}) };
    log(`chaos run in ${dir}: ${opts.events} directory audits over ${opts.historyHours} h, window ${opts.window}, ${opts.workers} workers, ${opts.kills} kills, seed ${opts.seed}` +
      (s3 ? `, store s3 (${s3.server.endpoint}; each worker its own folder)` : ''));
    await pool.start(opts.workers);
    log(`${opts.workers} workers ready after ${Math.round((Date.now() - started) / 1000)} s`);

    // The backfill covers the whole simulated history up to the feed's lag, its ends on no window boundary; the
    // schedules start an hour back, so both read the last hour, in windows of different sizes: each record is
    // delivered once whichever window reads it.
    const now = Date.now();
    const from = new Date(alignDown(now - opts.historyHours * 3_600_000, windowMs) + windowMs + 17_000).toISOString();
    const to = new Date(now - parseDuration(LAG) - 3_000).toISOString();
    const backfillId = backfillWorkflowId(FEED, 'directoryAudits', from, to);
    // One record the schedule and the backfill both read is refused for good by the HTTP receiver.
    const rejectId = simulator.groundTruth({ source: 'directoryAudits', from: new Date(now - 50 * MIN).toISOString(), to: new Date(now - 40 * MIN).toISOString() })
      .map((r) => r.id).find((id) => !/[\r\n]/.test(id));
    receiver.rejectRecord(rejectId);
    await client.workflow.start(backfill, {
      workflowId: backfillId, taskQueue,
      args: [{ feed: FEED, source: 'directoryAudits', from, to, concurrency: opts.backfillConcurrency, pacing: PACING }],
      typedSearchAttributes: [{ key: SA.feed, value: FEED }, { key: SA.source, value: 'directoryAudits' }, { key: SA.kind, value: 'backfill' }],
    });
    scheduleIds.push(...(await createSchedules(c)));
    log(`backfill ${from} → ${to} and schedules for directoryAudits, signIns, users started`);

    const phaseStart = Date.now();
    const plan = makePlan(opts.durationMs, opts.kills, opts.receiverOutageMs, opts.seed);
    const blockedSeen: string[] = [];
    const restartServer = async (): Promise<void> => {
      log('stopping the Temporal dev server');
      await server!.stop();
      await sleep(2000);
      server = await startServer();
      log('Temporal dev server restarted on the same port and database');
    };
    c.backfillId = backfillId;
    const stopMonitor = monitor(c);
    try {
      await runPlan(c, plan, phaseStart, restartServer, blockedSeen);
    } finally {
      stopMonitor();
    }
    await sleep(phaseStart + opts.durationMs - Date.now());
    log('chaos phase over; waiting for the backfill, then stopping the schedules and draining');

    const deadline = Date.now() + opts.drainTimeoutMs;
    await waitForBackfill(c, backfillId, deadline);
    for (const id of scheduleIds) await patiently('deleting a schedule', () => client.schedule.getHandle(id).delete());
    await drain(c, deadline);
    const stillBlocked = await blockedWindows(client);
    if (stillBlocked.length) notes.push(`${stillBlocked.length} window(s) still blocked at the end`);

    // Per source: every closed window in range, compared in every sink with the ground truth.
    const sources: SourceTally[] = [];
    const missingWindows: Record<string, string[]> = {};
    const letters = await deadLetterIds(s3 ? s3.store() : new FileBlobStore(path.join(dir, 'data', 'store')));
    if (rejectId && !letters.http?.has(rejectId)) notes.push(`the record the receiver rejects (${rejectId}) is not a dead letter of the http sink`);
    for (const source of WINDOWED) {
      const spans = await completedWindows(client, source);
      if (!spans.length) throw new Error(`no completed ${source} window`);
      const rangeFrom = source === 'directoryAudits' ? Math.min(Date.parse(from), spans[0]!.start) : spans[0]!.start;
      const rangeTo = Math.max(...spans.map((w) => w.end));
      missingWindows[source] = uncovered(spans, rangeFrom, rangeTo).map((g) => `${new Date(g.start).toISOString()} → ${new Date(g.end).toISOString()}`);
      const truth = simulator.groundTruth({ source, from: new Date(rangeFrom).toISOString(), to: new Date(rangeTo).toISOString() })
        .filter((r) => Date.parse(r.time) < rangeTo).map((r) => r.id);
      const hostile = truth.filter((id) => /[\r\n]/.test(id));
      if (hostile.some((id) => !letters['*']!.has(id))) notes.push(`${hostile.filter((id) => !letters['*']!.has(id)).length} ${source} record(s) with a hostile id are not dead letters`);
      sources.push(tallySource(source, truth, await sinkCopies(c, source), letters));
    }
    let lastUsersRound = 0;
    for await (const wf of client.workflow.list({ query: `WorkflowType = "usersSync" AND ExecutionStatus = "Completed"` })) {
      lastUsersRound = Math.max(lastUsersRound, wf.startTime.getTime());
    }
    sources.push(tallySource('users', expectedUsers(simulator, opts.seed, secret, lastUsersRound - 30_000), await sinkCopies(c, 'users')));
    if (s3) notes.push(...(await s3.isolationProblems()));

    const stats = simulator.stats();
    const hostileIds = sources.reduce((n, s) => n + s.deadLettered, 0);
    const faults = Object.values(stats.faults).reduce((a, b) => a + b, 0) + stats.throttled + receiver.stats().failedOn503 + receiver.stats().rejectedFor +
      1 /* server restart */ + 1 /* secret expiry */ + 1 /* window change */ + hostileIds;
    const counts: ChaosCounts = {
      expected: sources.reduce((n, s) => n + s.expected, 0),
      delivered: sources.reduce((n, s) => n + s.delivered, 0),
      deadLettered: sources.reduce((n, s) => n + s.deadLettered, 0),
      lost: sources.reduce((n, s) => n + s.lost, 0),
      duplicated: sources.reduce((n, s) => n + s.duplicated, 0),
      faults,
      kills: pool.stats.kills,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    for (const s of sources) {
      log(`${s.source}: expected ${s.expected}, delivered ${s.delivered}, dead letters ${s.deadLettered}, lost ${s.lost}, duplicated ${s.duplicated}, unexpected ${s.unexpected}; ` +
        Object.entries(s.perSink).map(([k, v]) => `${k} received ${v.received}`).join(', ') +
        (s.lostSample.length ? `; lost e.g. ${s.lostSample.join(' ')}` : '') + (s.duplicatedSample.length ? `; duplicated e.g. ${s.duplicatedSample.join(' ')}` : ''));
    }
    log(`simulator: ${stats.requests} requests, ${stats.throttled} throttled, faults ${JSON.stringify(stats.faults)}, ${stats.tokensIssued} tokens; ` +
      `receiver: ${JSON.stringify(receiver.stats())}; workers: ${JSON.stringify(pool.stats)}`);
    const windowedUnexpected = sources.filter((s) => s.source !== 'users').reduce((n, s) => n + s.unexpected, 0);
    if (windowedUnexpected) notes.push(`${windowedUnexpected} delivered audit/sign-in record(s) are not in the ground truth`);
    if (!blockedSeen.length) notes.push('no window was seen blocked after the secret expired');
    const ok = counts.lost === 0 && counts.duplicated === 0 && counts.expected > 0 && notes.length === 0;
    clean = ok;
    return { ...counts, ok, line: summaryLine(counts), sources, missingWindows, blockedSeen, notes, dir };
  } finally {
    for (const id of scheduleIds) if (connection) await new Client({ connection }).schedule.getHandle(id).delete().catch(() => undefined);
    await pool?.stopAll();
    await connection?.close().catch(() => undefined);
    await receiver?.close();
    await simulator?.close();
    await s3?.close();
    await server?.stop();
    // A failed run keeps its folder (config, worker and server logs, sink files) for a look.
    if (clean && !opts.keepDir) fs.rmSync(dir, { recursive: true, force: true });
    else log(`run folder kept: ${dir}`);
  }
}
