import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startBackfill } from './starts';
import { startSimulator } from '@entra-ingest/graph-simulator';
import { alignDown, backfillWorkflowId, windowWorkflowId, windowsBetween } from '@entra-ingest/workflows';
import { addTotals, historyTotals, type ActivitySpan, type HistoryTotals } from './history';
import type { PlainResult } from './plain-loop';
import { RssSampler } from './rss';
import type { MemoryBreakdown } from './memory-peak';
import { BENCH_CLIENT_ID, benchTenant, forkChild, startWorkerProcess, writeBenchConfig, type Temporal } from './stack';
import { round } from './stats';
import { sizeWorker } from '@entra-ingest/worker';

const HOUR = 3_600_000;
/** A large tenant: 100,000 directory audits a day. The range grows with the record count, the density does not. */
const RECORDS_PER_HOUR = 100_000 / 24;
/**
 * Graph's budget for one app registration: 122 requests per 10 s across all its tenants, 1,000 records a page. What
 * one worker delivers against it says how much of an app's whole budget a worker of this size can keep up with.
 */
export const APP_LIMIT_RECORDS_PER_SECOND = (122 / 10) * 1000;

export interface EndToEndRun {
  records: number;
  windows: number;
  temporal: { seconds: number; eventsPerSecond: number; events: number; peakRssMb: number; startRssMb: number; lastRssMb: number; hwmMb: number; memory?: { atStart: MemoryBreakdown; atPeak: MemoryBreakdown } };
  plain: { seconds: number; eventsPerSecond: number; events: number; peakRssMb: number };
  ratioToPlain: number;
  history: HistoryTotals & { backfillBytes: number; windowBytes: number; bytesPer1000: number; eventsPer1000: number };
  /**
   * Seconds from the backfill's start to the first start and the last completion of each activity type, and how
   * many of it ran at once on average (from the window workflows' histories): where the run's time went.
   */
  phases: { activity: string; count: number; fromSeconds: number; toSeconds: number; atOnce: number }[];
  sameOutput: boolean;
  /** Files the Temporal path wrote (the plain loop wrote the same when sameOutput). */
  outputFiles?: number;
}

export interface EndToEndResult {
  /** Of the largest run. */
  ratioToPlain: number;
  /** Events delivered per second through Temporal (largest run), and that ÷ APP_LIMIT_RECORDS_PER_SECOND. */
  eventsPerSecond: number;
  ratioToAppLimit: number;
  /** What reached eventsPerSecond: worker processes, backfill concurrency, validation. */
  configuration: { workers: number; backfillConcurrency: number; windowHours: number; validateEvents: boolean; appLimitRecordsPerSecond: number; workerMemoryMb?: number };
  historyBytesPer1000: number;
  historyEventsPer1000: number;
  activities: number;
  peakRssMb: number;
  runs: EndToEndRun[];
  parameters: Record<string, unknown>;
}

/**
 * Section 2: a backfill through Temporal (dev server, the production worker as a child process, file sink) against
 * the plain loop over the same windows, for each record count. Throttling off; same concurrency for both.
 */
export async function benchEndToEnd(temporal: Temporal, workDir: string, opts: { sizes: number[]; concurrency: number; windowHours: number; workerMemoryMb: number }): Promise<EndToEndResult> {
  const runs: EndToEndRun[] = [];
  for (const records of opts.sizes) runs.push(await oneSize(temporal, workDir, records, opts.concurrency, opts.windowHours, opts.workerMemoryMb || undefined));
  const largest = runs[runs.length - 1]!;
  return {
    ratioToPlain: largest.ratioToPlain,
    eventsPerSecond: largest.temporal.eventsPerSecond,
    ratioToAppLimit: round(largest.temporal.eventsPerSecond / APP_LIMIT_RECORDS_PER_SECOND, 3),
    configuration: {
      workers: 1, backfillConcurrency: opts.concurrency, windowHours: opts.windowHours, validateEvents: true, appLimitRecordsPerSecond: APP_LIMIT_RECORDS_PER_SECOND,
      ...(opts.workerMemoryMb ? { workerMemoryMb: opts.workerMemoryMb, ...sizeWorker(opts.workerMemoryMb) } : {}),
    },
    historyBytesPer1000: largest.history.bytesPer1000,
    historyEventsPer1000: largest.history.eventsPer1000,
    activities: largest.history.activities,
    peakRssMb: Math.max(...runs.map((r) => r.temporal.peakRssMb)),
    runs,
    parameters: {
      source: 'directoryAudits', recordsPerHour: Math.round(RECORDS_PER_HOUR), window: `${opts.windowHours}h`, concurrency: opts.concurrency,
      validateEvents: true, sink: 'file (NDJSON, fsync + rename per part)', throttling: 'off', simulator: 'HTTPS, same process as the bench',
      rss: 'worker child process: VmRSS from /proc/<pid>/status sampled every 200 ms while the backfill runs (peak); VmHWM (incl. start-up bundling) beside it',
    },
  };
}

async function oneSize(temporal: Temporal, workDir: string, records: number, concurrency: number, windowHours: number, workerMemoryMb?: number): Promise<EndToEndRun> {
  const windowMs = windowHours * HOUR;
  const hours = Math.ceil(records / RECORDS_PER_HOUR / windowHours) * windowHours;
  const historyDays = Math.ceil((hours + 2 * windowHours) / 24) + 1;
  const t = benchTenant(100 + runsStarted++, BENCH_CLIENT_ID);
  const sim = await startSimulator({
    tenants: [t.tenant], bulk: Math.round(RECORDS_PER_HOUR * 24 * historyDays), historyDays,
    throttle: { enabled: false }, latency: { p50Seconds: 0, maxSeconds: 0, tailShare: 0 },
  });
  const dir = path.join(workDir, `e2e-${records}`);
  try {
    const feed = `e2e${records}`;
    const spec = { id: feed, tenant: t, window: `${windowHours}h`, lag: '1m', rateLimit: { requests: 100_000, per: '1s' } };
    const temporalCfg = writeBenchConfig(path.join(dir, 'temporal'), sim, [spec]);
    const plainCfg = writeBenchConfig(path.join(dir, 'plain'), sim, [spec]);
    const to = alignDown(Date.now(), windowMs) - windowMs;
    const from = to - hours * HOUR;
    const windows = windowsBetween(from, to, windowMs);

    // The baseline first, in its own process like the worker, with the simulator here in the bench process.
    // BENCH_PLAIN_EXEC_ARGV gives it Node flags, as BENCH_WORKER_EXEC_ARGV does the worker (e.g. both --cpu-prof).
    const plainChild = await forkChild('plain-main.js', [plainCfg.source, JSON.stringify(windows), String(concurrency)], path.join(dir, 'plain.log'), (process.env.BENCH_PLAIN_EXEC_ARGV ?? '').split(' ').filter(Boolean));
    const plainRss = new RssSampler(plainChild.child.pid!);
    const plain = (await plainChild.result) as PlainResult;
    const plainMem = plainRss.stop();
    await plainChild.stop();

    const taskQueue = `bench-e2e-${records}`;
    const worker = await startWorkerProcess(temporalCfg, temporal.server.address, taskQueue, path.join(dir, 'worker.log'), workerMemoryMb);
    const rss = new RssSampler(worker.child.pid!);
    const started = process.hrtime.bigint();
    const startedAtMs = Date.now();
    const handle = await startBackfill(temporal.client, {
      feed, source: 'directoryAudits', from: new Date(from).toISOString(), to: new Date(to).toISOString(), concurrency, taskQueue,
      // The plain loop's windows exactly: no split by volume, so both read and write the same windows.
      windowMs, splitPolicy: { maxPages: Number.MAX_SAFE_INTEGER, maxPieces: 1 },
    });
    // A worker that dies (out of memory, say) fails the run instead of leaving the backfill waiting for it.
    const result = await Promise.race([
      handle.result(),
      worker.result.then(() => { throw new Error('the worker stopped before the backfill completed'); }),
    ]);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const mem = rss.stop();
    await worker.stop();
    // The worker's own account of its memory when polling began and at its highest RSS (see memory-peak.ts).
    const memory = ((await worker.result.catch(() => undefined)) as { memory?: { atStart: MemoryBreakdown; atPeak: MemoryBreakdown } } | undefined)?.memory;
    if (result.windowsDone !== windows.length || result.windowsFailed !== 0) {
      throw new Error(`backfill of ${records} records read ${result.windowsDone}/${windows.length} windows (${result.windowsFailed} failed)`);
    }
    const parent = await historyTotals(temporal.client, [backfillWorkflowId(feed, 'directoryAudits', new Date(from).toISOString(), new Date(to).toISOString())]);
    const children = await historyTotals(temporal.client, windows.map((w) => windowWorkflowId(feed, 'directoryAudits', w.start, w.end)));
    const history = { ...addTotals(parent, children), backfillBytes: parent.bytes, windowBytes: children.bytes };
    const output = sinkFingerprint(path.join(temporalCfg.baseDir, 'data/ocsf'));
    const sameOutput = output.length > 0 && output.join('\n') === sinkFingerprint(path.join(plainCfg.baseDir, 'data/ocsf')).join('\n');
    const events = result.eventsDelivered;
    return {
      records: events,
      windows: windows.length,
      temporal: { seconds: round(seconds, 1), eventsPerSecond: Math.round(events / seconds), events, peakRssMb: mem.peakMb, startRssMb: mem.firstMb, lastRssMb: mem.lastMb, hwmMb: mem.hwmMb, memory },
      plain: { seconds: round(plain.seconds, 1), eventsPerSecond: Math.round(plain.events / plain.seconds), events: plain.events, peakRssMb: plainMem.peakMb },
      ratioToPlain: round(events / seconds / (plain.events / plain.seconds), 3),
      history: { ...history, bytesPer1000: Math.round((history.bytes * 1000) / events), eventsPer1000: round((history.events * 1000) / events, 1) },
      phases: phasesOf(history.activitySpans, startedAtMs),
      sameOutput,
      outputFiles: output.length,
    };
  } finally {
    await sim.close();
    // A million events are a gigabyte of NDJSON per path: keep the logs, not the data.
    fs.rmSync(path.join(dir, 'temporal/data'), { recursive: true, force: true });
    fs.rmSync(path.join(dir, 'plain/data'), { recursive: true, force: true });
  }
}

let runsStarted = 0;

/** The activity types that did the work (not tokens and settings), in the order they began. */
function phasesOf(spans: Record<string, ActivitySpan>, startedAtMs: number): EndToEndRun['phases'] {
  return Object.entries(spans)
    .filter(([activity]) => activity === 'fetchPage' || activity.startsWith('map') || activity.startsWith('deliver'))
    .sort(([, a], [, b]) => a.firstStartMs - b.firstStartMs)
    .map(([activity, s]) => ({
      activity, count: s.count,
      fromSeconds: round((s.firstStartMs - startedAtMs) / 1000, 2), toSeconds: round((s.lastEndMs - startedAtMs) / 1000, 2),
      atOnce: round(s.busyMs / Math.max(1, s.lastEndMs - s.firstStartMs), 1),
    }));
}

/**
 * File names (relative) and a hash of the bytes of everything a file sink wrote: equal only for byte-identical files
 * under the same names (the sinks name a batch by its record ids, so equal names mean the same records).
 */
function sinkFingerprint(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${path.relative(root, p)}:${crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`);
    }
  };
  walk(root);
  return out.sort();
}
