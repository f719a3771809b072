import path from 'node:path';
import { startSimulator } from '@entra-ingest/graph-simulator';
import { alignDown } from '@entra-ingest/workflows';
import { startBackfill } from './starts';
import { benchTenant, startWorkerProcess, writeBenchConfig, type Temporal } from './stack';
import { round } from './stats';

const MIN = 60_000;
const DAY = 1440 * MIN;
/** Graph's identity-and-access-reports limit per tenant (the simulator's default), as requests per second. */
const TENANT_REQUESTS_PER_SECOND = 5 / 10;
const RECORDS_PER_PAGE = 1000;

export interface BackfillCase {
  name: 'quiet' | 'busy';
  records: number;
  /** Graph's minimum: ceil(records / 1,000) requests at the tenant's limit. */
  minimumSeconds: number;
  seconds: number;
  /** minimumSeconds / seconds: 1.0 is Graph's limit (above 1 only thanks to the limit's opening burst). */
  ratioToMinimum: number;
  requests: number;
  minimumRequests: number;
  throttled429: number;
  windows: number;
  delivered: number;
  lost: number;
}

export interface BackfillSpeedResult {
  /** The lower of the two cases. */
  ratioToMinimum: number;
  quiet: BackfillCase;
  busy: BackfillCase;
  parameters: Record<string, unknown>;
}

/**
 * Section 6 (after a warm-up, see backfillCase): a 7-day backfill of one tenant on the simulator (throttling on), the feed on the production 5-minute
 * window, `entra-ingest backfill` defaults (the range as one window, split by volume). A quiet and a busy tenant, each
 * with its own simulator and worker; the figure is Graph's minimum time over the measured time, start to result.
 */
export async function benchBackfillSpeed(temporal: Temporal, workDir: string, opts: { quietRecords: number; busyRecords: number }): Promise<BackfillSpeedResult> {
  const quiet = await backfillCase(temporal, path.join(workDir, 'backfill-quiet'), 'quiet', opts.quietRecords, 400);
  const busy = await backfillCase(temporal, path.join(workDir, 'backfill-busy'), 'busy', opts.busyRecords, 401);
  return {
    ratioToMinimum: Math.min(quiet.ratioToMinimum, busy.ratioToMinimum),
    quiet, busy,
    parameters: {
      range: '7 days ending 10 minutes ago', feedWindow: '5m', backfill: 'defaults: one window split by volume (10 pages a window), concurrency 4',
      limit: '5 requests / 10 s / tenant (simulator throttling on; feed rateLimit 5 per 10s)', recordsPerPage: RECORDS_PER_PAGE,
    },
  };
}

async function backfillCase(temporal: Temporal, dir: string, name: BackfillCase['name'], records: number, index: number): Promise<BackfillCase> {
  const t = benchTenant(index, `c0000000-0000-4000-8000-00000000b${index}`.slice(0, 36));
  // 8 days of history holding `records` per 7 days; records visible at once (the range is old).
  const sim = await startSimulator({
    tenants: [t.tenant], throttle: { enabled: true }, historyDays: 8, bulk: Math.round((records * 8) / 7), latency: { p50Seconds: 0, maxSeconds: 0, tailShare: 0 },
  });
  try {
    const feed = { id: `backfill${name}`, tenant: t, window: '5m', lag: '1m' };
    const loaded = writeBenchConfig(dir, sim, [feed]);
    const taskQueue = `bench-backfill-${name}`;
    const worker = await startWorkerProcess(loaded, temporal.server.address, taskQueue, path.join(dir, 'worker.log'));
    try {
      const to = alignDown(Date.now(), 5 * MIN) - 10 * MIN;
      const from = to - 7 * DAY;
      const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
      // A running worker is what a backfill meets: one small backfill first loads the workflow bundle, the token and
      // the OCSF validator (about 1.5 s the first time), then the tenant's request budget refills.
      const warm = await startBackfill(temporal.client, { feed: feed.id, source: 'directoryAudits', from: new Date(from - 15 * MIN).toISOString(), to: range.from, concurrency: 1, taskQueue });
      await warm.result();
      await new Promise((r) => setTimeout(r, 10_000));
      const truth = sim.groundTruth({ source: 'directoryAudits', tenant: t.tenant.tenantId, ...range }).filter((r) => Date.parse(r.time) < to).length;
      const before = sim.stats();
      const started = process.hrtime.bigint();
      const handle = await startBackfill(temporal.client, { feed: feed.id, source: 'directoryAudits', ...range, concurrency: 4, taskQueue });
      const result = await handle.result();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const after = sim.stats();
      const requests = (after.byStatus['200'] ?? 0) - (before.byStatus['200'] ?? 0) - (after.tokensIssued - before.tokensIssued);
      const minimumRequests = Math.ceil(truth / RECORDS_PER_PAGE);
      const minimumSeconds = minimumRequests / TENANT_REQUESTS_PER_SECOND;
      return {
        name, records: truth, minimumSeconds, seconds: round(seconds, 2), ratioToMinimum: round(minimumSeconds / seconds, 3),
        requests, minimumRequests, throttled429: (after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0),
        windows: result.windowsTotal, delivered: result.eventsDelivered, lost: Math.max(0, truth - result.eventsDelivered),
      };
    } finally {
      await worker.stop();
    }
  } finally {
    await sim.close();
  }
}
