import fs from 'node:fs';
import path from 'node:path';
import { parseDuration } from '@entra-ingest/config';
import { startSimulator, type LatencySettings, type RunningSimulator } from '@entra-ingest/graph-simulator';
import { createAuditSchedule } from './starts';
import { BENCH_CLIENT_ID, benchTenant, startWorkerProcess, writeBenchConfig, type Temporal } from './stack';
import { percentile, round, sleep } from './stats';

export interface FreshnessOptions {
  measureSeconds: number;
  /** After the measured span, how long deliveries are still collected. */
  graceSeconds: number;
  eventsPerMinute: number;
  window: string;
  lag: string;
  sweeps: string[];
  latency: LatencySettings;
}

export interface FreshnessResult {
  p50Seconds: number;
  p95Seconds: number;
  maxSeconds: number;
  /** Visible in the measured span, not in the sink by the end (waiting for a sweep): counted as slower than every delivered one. */
  pending: number;
  measured: number;
  targetSeconds: number;
  parameters: Record<string, unknown>;
}

/**
 * Section 4: a live simulated tenant, the worker and the feed's Temporal Schedule (the dev stack's pieces) with a short
 * interval and lag. For each record that becomes visible in the simulator during the measured span, the delay from
 * its visibility to its OCSF event's file in the sink. Visibility is observed by polling the simulator's ground truth
 * every 250 ms (a record's first poll as visible, minus half the interval); delivery is the sink file's mtime.
 */
export async function benchFreshness(temporal: Temporal, workDir: string, opts: FreshnessOptions): Promise<FreshnessResult> {
  const dir = path.join(workDir, 'freshness');
  const t = benchTenant(400, BENCH_CLIENT_ID);
  const sim = await startSimulator({ tenants: [t.tenant], eventsPerMinute: opts.eventsPerMinute, historyDays: 1, latency: opts.latency, throttle: { enabled: true } });
  const taskQueue = 'bench-freshness';
  const loaded = writeBenchConfig(dir, sim, [{ id: 'fresh', tenant: t, window: opts.window, every: opts.window, lag: opts.lag, sweeps: opts.sweeps, initialLookback: opts.window }]);
  const worker = await startWorkerProcess(loaded, temporal.server.address, taskQueue, path.join(dir, 'worker.log'));
  const feed = loaded.config.feeds[0]!;
  const maxLatencyMs = (opts.latency.maxSeconds ?? 1800) * 1000;
  const visibility = new VisibilityClock(sim, t.tenant.tenantId, maxLatencyMs);
  const sink = new SinkClock(path.join(dir, 'data/ocsf'));
  let scheduleIdCreated: string | undefined;
  try {
    await visibility.poll(); // what is visible already is not measured
    scheduleIdCreated = await createAuditSchedule(temporal.client, feed, taskQueue);
    const startMs = Date.now();
    const endMs = startMs + opts.measureSeconds * 1000;
    const stopMs = endMs + opts.graceSeconds * 1000;
    while (Date.now() < stopMs) {
      await sleep(250);
      if (Date.now() <= endMs + 1000) await visibility.poll();
      sink.poll();
    }
    const delays: number[] = [];
    let pending = 0;
    for (const [id, visibleAt] of visibility.firstSeen) {
      if (visibleAt < startMs || visibleAt > endMs) continue;
      const deliveredAt = sink.delivered.get(id);
      if (deliveredAt === undefined) pending++;
      else delays.push(Math.max(0, deliveredAt - visibleAt) / 1000);
    }
    delays.sort((a, b) => a - b);
    // Pending records are slower than every delivered one: they sit at the top of the distribution.
    const all = [...delays, ...Array<number>(pending).fill(Infinity)];
    const everyMs = parseDuration(opts.window);
    const lagMs = parseDuration(opts.lag);
    return {
      p50Seconds: round(percentile(all, 50), 1),
      p95Seconds: round(percentile(all, 95), 1),
      maxSeconds: round(delays[delays.length - 1] ?? NaN, 1),
      pending,
      measured: all.length,
      targetSeconds: (everyMs + lagMs) / 1000 + 30,
      parameters: {
        eventsPerMinute: opts.eventsPerMinute, window: opts.window, every: opts.window, lag: opts.lag, sweeps: opts.sweeps,
        latency: opts.latency, measuredSeconds: opts.measureSeconds, graceSeconds: opts.graceSeconds,
        throttling: 'on (5 / 10 s / tenant)', visibility: 'ground truth polled every 250 ms', delivery: 'sink file mtime',
      },
    };
  } finally {
    if (scheduleIdCreated) await temporal.client.schedule.getHandle(scheduleIdCreated).delete().catch(() => undefined);
    await worker.stop();
    await sim.close();
  }
}

/** First time each record id was seen visible in the simulator. */
class VisibilityClock {
  readonly firstSeen = new Map<string, number>();
  private lastPoll?: number;

  constructor(private readonly sim: RunningSimulator, private readonly tenant: string, private readonly maxLatencyMs: number) {}

  async poll(): Promise<void> {
    const now = Date.now();
    const records = this.sim.groundTruth({ source: 'directoryAudits', tenant: this.tenant, from: new Date(now - this.maxLatencyMs - 60_000).toISOString(), to: new Date(now).toISOString() });
    // Became visible between the previous poll and this one: the midpoint is at most half a poll interval off.
    const at = this.lastPoll === undefined ? -Infinity : (this.lastPoll + now) / 2;
    for (const r of records) if (r.visible && !this.firstSeen.has(r.id)) this.firstSeen.set(r.id, at);
    this.lastPoll = now;
  }
}

/** When each event reached the sink: the mtime of the file that holds it (written to a temp name, then renamed). */
class SinkClock {
  readonly delivered = new Map<string, number>();
  private readonly read = new Set<string>();

  constructor(private readonly root: string) {}

  poll(): void {
    const walk = (d: string): void => {
      if (!fs.existsSync(d)) return;
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ndjson') && !this.read.has(p)) {
          this.read.add(p);
          const mtime = fs.statSync(p).mtimeMs;
          for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
            if (!line) continue;
            const uid = (JSON.parse(line) as { metadata?: { uid?: string } }).metadata?.uid;
            if (uid && !this.delivered.has(uid)) this.delivered.set(uid, mtime);
          }
        }
      }
    };
    walk(this.root);
  }
}
