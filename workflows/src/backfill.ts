import {
  ApplicationFailure, ParentClosePolicy, WorkflowIdReusePolicy, condition, continueAsNew, defineQuery, defineSignal,
  isCancellation, patched, setCurrentDetails, setHandler, startChild, upsertSearchAttributes, workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { WindowedSourceName } from './activity-types';
import { tokenActivities } from './activity-proxies';
import { childWindowId } from './child-window-id';
import { ingestWindow, type IngestWindowInput } from './ingest-window';
import type { RetryPacing } from './resilient';
import { SA } from './search-attributes';
import { type WindowReadReport, windowReadSignal } from './pieces';
import { DEFAULT_SPLIT, type SplitPolicy } from './split';
import { windowsBetween, windowsCovering } from './windows';

export interface BackfillInput {
  feed: string;
  source: WindowedSourceName;
  from: string;
  to: string;
  /**
   * Size (ms) of the windows the range starts as; default: the whole range is one window. Either way a window splits
   * by volume, so the size matters little: Graph is asked for as few pages as the records need.
   */
  windowMs?: number;
  /** Windows (and pieces of one window) read at the same time. */
  concurrency: number;
  /** Default: 10 pages a window, at most 32 pieces per split. */
  splitPolicy?: SplitPolicy;
  pacing?: RetryPacing;
  /** Carried over continue-as-new. */
  state?: BackfillState;
}

export interface BackfillState {
  nextIndex: number;
  /** Windows whose first read is done (pieces included). */
  windowsDone: number;
  /** Pieces the windows split into, on top of the windows the range started as. */
  windowsAdded: number;
  /** Milliseconds of [from, to) read (or found read by an earlier run): what the percentage is. */
  coveredMs: number;
  windowsSkipped: number;
  /** Windows that ended without completing (terminated by hand); start the backfill again to read them. */
  windowsFailed: number;
  eventsDelivered: number;
  /** Workflow time when the backfill began (survives continue-as-new, for rate and ETA). */
  startedAtMs: number;
  paused: boolean;
}

export interface BackfillProgress extends BackfillState {
  feed: string;
  source: string;
  from: string;
  to: string;
  windowsTotal: number;
  running: number;
  percent: number;
  eventsPerSecond: number;
  etaSeconds?: number;
}

export const backfillProgressQuery = defineQuery<BackfillProgress>('progress');
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');

/** Windows started per run before continuing as new, so history stays small for a 30-day range. */
const WINDOWS_PER_RUN = 200;

/**
 * Reads a past range [from, to) exactly — an unaligned end included — with as few Graph requests as its records need:
 * it starts as one window (or windows of `windowMs`) and each window splits by volume into pieces read in parallel on
 * the tenant's rate-limited queue, shared with the schedule. Windows overlapping what the schedule read are safe: a
 * record is delivered once whichever window reads it. Pausing stops new windows (running ones finish); cancelling
 * cancels the running windows, leaving completed ones delivered and the rest untouched.
 */
export async function backfill(input: BackfillInput): Promise<BackfillProgress> {
  const settings = await tokenActivities.describeFeed(input.feed);
  const windowMs = input.windowMs;
  const fromMs = Date.parse(input.from);
  const toMs = Date.parse(input.to);
  const now = Date.now();
  const oldest = now - settings.retentionDays * 86_400_000;
  if (!(fromMs < toMs)) throw ApplicationFailure.nonRetryable(`backfill range is empty: from ${input.from} is not before to ${input.to}`, 'EntraBadBackfillRange');
  if (fromMs < oldest) {
    throw ApplicationFailure.nonRetryable(
      `backfill from ${input.from} is older than Graph keeps ${input.source} (${settings.retentionDays} days for feed ${input.feed}: oldest ${new Date(oldest).toISOString()}); nothing was started`,
      'EntraBadBackfillRange');
  }
  if (toMs > now - settings.lagMs) {
    throw ApplicationFailure.nonRetryable(`backfill to ${input.to} is not closed yet: it must be at least the feed's lag before now`, 'EntraBadBackfillRange');
  }
  // Backfills started before the split by volume read the feed's aligned windows (docs/changing-workflows.md).
  const splits = patched('backfill-split-by-volume');
  const windows = splits ? windowsCovering(fromMs, toMs, windowMs) : windowsBetween(fromMs, toMs, windowMs ?? settings.windowMs);
  const rangeMs = toMs - fromMs;
  const state: BackfillState = input.state ?? {
    nextIndex: 0, windowsDone: 0, windowsAdded: 0, coveredMs: 0, windowsSkipped: 0, windowsFailed: 0, eventsDelivered: 0, startedAtMs: now, paused: false,
  };
  // Its windows spread over `concurrency` pieces after their first page (only new children see spreadTo: no patch).
  const split = { ...DEFAULT_SPLIT, spreadTo: input.concurrency, ...input.splitPolicy, concurrency: input.concurrency, backfillId: workflowInfo().workflowId };
  const running = new Map<string, ChildWorkflowHandle<typeof ingestWindow>>();

  const progress = (): BackfillProgress => {
    const elapsed = Math.max(1, (Date.now() - state.startedAtMs) / 1000);
    const coveredPerSecond = state.coveredMs / elapsed;
    return {
      ...state, feed: input.feed, source: input.source, from: input.from, to: input.to, windowsTotal: windows.length + state.windowsAdded, running: running.size,
      // Floored, so 100% means every millisecond of the range was read.
      percent: Math.floor((1000 * state.coveredMs) / rangeMs) / 10,
      eventsPerSecond: Math.round((10 * state.eventsDelivered) / elapsed) / 10,
      etaSeconds: coveredPerSecond > 0 ? Math.round((rangeMs - state.coveredMs) / coveredPerSecond) : undefined,
    };
  };
  const report = (): void => {
    const p = progress();
    upsertSearchAttributes([
      { key: SA.progressPercent, value: p.percent }, { key: SA.eventsDelivered, value: p.eventsDelivered },
      { key: SA.status, value: state.paused ? 'paused' : p.percent >= 100 ? 'done' : 'running' },
    ]);
    setCurrentDetails(
      `**${p.percent}%** of ${input.from} → ${input.to} — windows ${p.windowsDone + p.windowsSkipped}/${p.windowsTotal} (${p.windowsSkipped} already read), ` +
        `${p.eventsDelivered} events, ${p.eventsPerSecond}/s${p.etaSeconds !== undefined ? `, ETA ${p.etaSeconds}s` : ''}${state.paused ? ' — PAUSED' : ''}`,
    );
  };
  setHandler(backfillProgressQuery, progress);
  setHandler(pauseSignal, () => {
    state.paused = true;
    report();
  });
  setHandler(resumeSignal, () => {
    state.paused = false;
    report();
  });
  setHandler(windowReadSignal, (r: WindowReadReport) => {
    state.windowsDone += r.windowsRead;
    state.windowsAdded += r.windowsAdded;
    state.windowsSkipped += r.windowsSkipped;
    state.coveredMs += r.coveredMs;
    state.eventsDelivered += r.delivered;
    report();
  });
  let startedThisRun = 0;
  report();
  for (;;) {
    if (state.nextIndex >= windows.length) {
      await condition(() => running.size === 0);
      break;
    }
    await condition(() => !state.paused && running.size < input.concurrency);
    if (startedThisRun >= WINDOWS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(() => running.size === 0);
      await continueAsNew<typeof backfill>({ ...input, windowMs, state });
    }
    const w = windows[state.nextIndex++]!;
    startedThisRun++;
    const now2 = Date.now();
    const args: IngestWindowInput = {
      feed: input.feed, source: input.source, windowStart: w.start, windowEnd: w.end, tenantId: settings.tenantId, pacing: input.pacing,
      // Sweeps whose time has passed add nothing for an old window: Graph shows every record within its latency.
      sweepDelaysMs: settings.sweepDelaysMs.filter((d) => Date.parse(w.end) + d > now2), split: splits ? split : undefined,
    };
    const id = childWindowId(input.feed, input.source, w.start, w.end);
    try {
      const handle = await startChild(ingestWindow, {
        workflowId: id, args: [args],
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        typedSearchAttributes: [
          { key: SA.feed, value: input.feed }, { key: SA.source, value: input.source },
          { key: SA.windowStart, value: new Date(w.start) }, { key: SA.kind, value: 'window' },
        ],
        staticSummary: `backfill window ${w.start} → ${w.end}`,
      });
      running.set(id, handle);
      handle.result().then(
        (totals) => {
          running.delete(id);
          // A splitting window (and its pieces) reported its reads as it went; an unpatched one is counted here.
          if (!splits) {
            state.windowsDone++;
            state.eventsDelivered += totals.delivered;
            state.coveredMs += Date.parse(w.end) - Date.parse(w.start);
          }
          report();
        },
        (err: unknown) => {
          running.delete(id);
          if (!isCancellation(err)) state.windowsFailed++;
          report();
        },
      );
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      // Read (or being read) by an earlier run of this backfill: exactly once holds, nothing to do.
      state.windowsSkipped++;
      state.coveredMs += Date.parse(w.end) - Date.parse(w.start);
      report();
    }
  }
  report();
  return progress();
}
