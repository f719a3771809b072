import path from 'node:path';
import { startBackfill } from './starts';
import { startSimulator, type RunningSimulator } from '@entra-ingest/graph-simulator';
import { alignDown } from '@entra-ingest/workflows';
import { RssSampler } from './rss';
import { checkSinkWithControl, sinkIdCounts } from './sink-check';
import { benchTenant, startWorkerProcess, writeBenchConfig, type FeedSpec, type Temporal } from './stack';
import { round } from './stats';

const HOUR = 3_600_000;
const WINDOW_MS = 10_000;
/** Graph's identity-and-access-reports limits (the simulator's defaults). */
const PER_TENANT_PER_10S = 5;
const PER_APP_PER_10S = 122;
/** Enough records per one-hour window for several full pages, so requests, not data, are what runs out. */
const RECORDS_PER_HOUR = 5000;

export interface LimitScenario {
  tenants: number;
  /** Requests per 10 s the limits allow this scenario: min(app limit, tenants × tenant limit). */
  allowedPer10s: number;
  achievedPer10s: number;
  fractionOfAllowed: number;
  /** Against the app-wide limit alone (122 / 10 s). */
  fractionOfAppLimit: number;
  requests: number;
  throttled429: number;
  events: number;
  expectedEvents: number;
  eventsPerSecond: number;
  seconds: number;
  windows: number;
  windowsFailed: number;
  lostWindows: number;
  /** The sink against ground truth by record id, after every backfill completed (delivery included). */
  sink: { events: number; lost: number; duplicated: number; unexpected: number };
  /** Seconds from the first admitted report request to each one (what the rate is computed from). */
  admissions: number[];
  /** Seconds from the first admitted report request to each 429 (negative: before it). */
  throttledAt: number[];
}

export interface GraphLimitResult {
  /** The lower of the two scenarios. */
  fractionOfAllowed: number;
  single: LimitScenario;
  multi: LimitScenario;
  workerPeakRssMb: number;
  parameters: Record<string, unknown>;
}

/**
 * Section 3: backfills against the simulator's throttling (5 requests / 10 s / tenant, 122 / 10 s / app), one tenant
 * alone and ten tenants of one multi-tenant app at once, in one worker process. Each scenario has its own simulator,
 * so its request log is its own. The achieved rate is measured between the first and the last admitted report request
 * (timestamps from polling the simulator's counters every 20 ms).
 */
export async function benchGraphLimit(temporal: Temporal, workDir: string, opts: { seconds: number; multiTenants: number; concurrency: number }): Promise<GraphLimitResult> {
  const dir = path.join(workDir, 'graph-limit');
  // Pages per window ≈ RECORDS_PER_HOUR / ~990; hours so that the tenant's request budget lasts about `seconds`.
  const pagesPerWindow = Math.ceil(RECORDS_PER_HOUR / 990);
  const hours = Math.max(2, Math.round(((PER_TENANT_PER_10S / 10) * opts.seconds) / pagesPerWindow));
  const singleTenant = [benchTenant(200, 'c0000000-0000-4000-8000-0000000000a1')];
  const multiTenants = Array.from({ length: opts.multiTenants }, (_, i) => benchTenant(300 + i, 'c0000000-0000-4000-8000-0000000000a2'));
  const simOpts = { throttle: { enabled: true }, bulk: RECORDS_PER_HOUR * 24, historyDays: 1, latency: { p50Seconds: 0, maxSeconds: 0, tailShare: 0 } };
  const singleSim = await startSimulator({ ...simOpts, tenants: singleTenant.map((t) => t.tenant) });
  const multiSim = await startSimulator({ ...simOpts, tenants: multiTenants.map((t) => t.tenant) });
  try {
    const feeds = (prefix: string, ts: typeof singleTenant): FeedSpec[] => ts.map((t, i) => ({ id: `${prefix}${i}`, tenant: t, window: '1h', lag: '1m' }));
    const singleFeeds = feeds('limitone', singleTenant);
    const multiFeeds = feeds('limitmany', multiTenants);
    // One worker serves both scenarios (one process, like production); each scenario's simulator has its own config.
    const singleCfg = writeBenchConfig(dir, singleSim, singleFeeds, 'single.json');
    const multiCfg = writeBenchConfig(path.join(dir, 'multi'), multiSim, multiFeeds, 'multi.json');
    const taskQueue = 'bench-graph-limit';
    const workers = [
      await startWorkerProcess(singleCfg, temporal.server.address, taskQueue, path.join(dir, 'worker-single.log')),
      await startWorkerProcess(multiCfg, temporal.server.address, `${taskQueue}-multi`, path.join(dir, 'worker-multi.log')),
    ];
    const rss = workers.map((w) => new RssSampler(w.child.pid!));
    const to = alignDown(Date.now(), HOUR) - HOUR;
    const from = to - hours * HOUR;
    const [single, multi] = await Promise.all([
      scenario(temporal, singleSim, singleFeeds, taskQueue, from, to, opts.concurrency, sinkRoot(singleCfg.baseDir)),
      scenario(temporal, multiSim, multiFeeds, `${taskQueue}-multi`, from, to, opts.concurrency, sinkRoot(multiCfg.baseDir)),
    ]);
    const peaks = rss.map((r) => r.stop().peakMb);
    await Promise.all(workers.map((w) => w.stop()));
    return {
      fractionOfAllowed: Math.min(single.fractionOfAllowed, multi.fractionOfAllowed),
      single, multi,
      workerPeakRssMb: Math.max(...peaks),
      parameters: {
        limits: `${PER_TENANT_PER_10S} requests / 10 s / tenant, ${PER_APP_PER_10S} / 10 s / app (sliding window)`,
        clientLimit: 'feed rateLimit 5 per 10s (token bucket per tenant and client)', recordsPerHour: RECORDS_PER_HOUR,
        backfill: 'the range as one window (CLI default), split by volume and spread over its concurrency after the first page',
        hoursPerTenant: hours, backfillConcurrency: opts.concurrency, multiTenants: opts.multiTenants,
        workers: 'one worker process per scenario, both scenarios at the same time',
      },
    };
  } finally {
    await singleSim.close();
    await multiSim.close();
  }
}

/** Where writeBenchConfig's file sink writes (dataDir `data`, sink root `ocsf`). */
const sinkRoot = (configDir: string): string => path.join(configDir, 'data', 'ocsf');

async function scenario(temporal: Temporal, sim: RunningSimulator, feeds: FeedSpec[], taskQueue: string, from: number, to: number, concurrency: number, sinkDir: string): Promise<LimitScenario> {
  const admitted = new RequestClock(sim);
  const started = process.hrtime.bigint();
  const handles = await Promise.all(feeds.map((f) => startBackfill(temporal.client, {
    feed: f.id, source: 'directoryAudits', from: new Date(from).toISOString(), to: new Date(to).toISOString(), concurrency, taskQueue,
  })));
  const results = await Promise.all(handles.map((h) => h.result()));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  admitted.stop();
  const stats = sim.stats();
  const truthIds = feeds.flatMap((f) => sim.groundTruth({ source: 'directoryAudits', tenant: f.tenant.tenant.tenantId, from: new Date(from).toISOString(), to: new Date(to).toISOString() })
    .filter((r) => Date.parse(r.time) < to).map((r) => r.id));
  const expected = truthIds.length;
  const sink = checkSinkWithControl(truthIds, sinkIdCounts(sinkDir));
  const events = results.reduce((n, r) => n + r.eventsDelivered, 0);
  const allowedPer10s = Math.min(PER_APP_PER_10S, feeds.length * PER_TENANT_PER_10S);
  const achievedPer10s = admitted.ratePer10s();
  const windows = results.reduce((n, r) => n + r.windowsTotal, 0);
  return {
    tenants: feeds.length,
    allowedPer10s,
    achievedPer10s: round(achievedPer10s, 2),
    fractionOfAllowed: round(achievedPer10s / allowedPer10s, 3),
    fractionOfAppLimit: round(achievedPer10s / PER_APP_PER_10S, 3),
    requests: admitted.count,
    throttled429: stats.byStatus['429'] ?? 0,
    events, expectedEvents: expected,
    eventsPerSecond: Math.round(events / seconds),
    seconds: round(seconds, 1),
    windows,
    windowsFailed: results.reduce((n, r) => n + r.windowsFailed, 0),
    lostWindows: windows - results.reduce((n, r) => n + r.windowsDone, 0),
    sink,
    admissions: admitted.relativeSeconds(),
    throttledAt: admitted.throttledSeconds(),
  };
}

/**
 * When the simulator admitted each report request, from its counters (answered 200s minus tokens issued), polled
 * every 20 ms. The rate is taken after the first 10 s — once msal's metadata requests and the opening burst the
 * sliding window allows are behind — see admittedPer10s.
 */
class RequestClock {
  private readonly times: number[] = [];
  private readonly throttled: number[] = [];
  private last = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly sim: RunningSimulator) {
    this.timer = setInterval(() => this.poll(), 20);
  }

  private poll(): void {
    const s = this.sim.stats();
    const n = (s.byStatus['200'] ?? 0) - s.tokensIssued;
    const now = performance.now();
    for (; this.last < n; this.last++) this.times.push(now);
    while (this.throttled.length < (s.byStatus['429'] ?? 0)) this.throttled.push(now);
  }

  stop(): void {
    this.poll();
    clearInterval(this.timer);
  }

  relativeSeconds(): number[] {
    return this.times.map((t) => round((t - this.times[0]!) / 1000, 2));
  }

  throttledSeconds(): number[] {
    const first = this.times[0] ?? 0;
    return this.throttled.map((t) => round((t - first) / 1000, 2));
  }

  get count(): number {
    return this.times.length;
  }

  ratePer10s(skipMs = 10_000): number {
    return admittedPer10s(this.times, skipMs);
  }
}

/**
 * Admissions per 10 s in the steady part (from the first admission `skipMs` after the first one to the last one): the
 * mean count in a 10-s window over every window inside that span, which is what Graph's sliding window limits, so a
 * client at the limit scores 1.0 whether it paces evenly or in bursts and none scores above it. Spans under 10 s
 * (tiny runs) fall back to admissions after the first over the span.
 */
export function admittedPer10s(timesMs: readonly number[], skipMs = 10_000): number {
  if (timesMs.length < 2) return 0;
  let steady = timesMs.filter((t) => t >= timesMs[0]! + skipMs);
  if (steady.length < 2) steady = [...timesMs];
  const first = steady[0]!;
  const last = steady[steady.length - 1]!;
  if (last - first <= WINDOW_MS) return last > first ? ((steady.length - 1) / (last - first)) * WINDOW_MS : 0;
  let sum = 0;
  let windows = 0;
  for (let start = first; start + WINDOW_MS <= last; start += 10) {
    let n = 0;
    for (const t of steady) if (t >= start && t < start + WINDOW_MS) n++;
    sum += n;
    windows++;
  }
  return sum / windows;
}
