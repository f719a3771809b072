import {
  ParentClosePolicy, WorkflowIdReusePolicy, isCancellation, log, startChild,
  upsertMemo, workflowInfo, setCurrentDetails,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { WindowedSourceName } from './activity-types';
import { tokenActivities } from './activity-proxies';
import { childWindowId } from './child-window-id';
import { ingestWindow, type IngestWindowInput } from './ingest-window';
import type { RetryPacing } from './resilient';
import { SA } from './search-attributes';
import { alignDown, windowsBetween } from './windows';

export interface ScheduledIngestInput {
  feed: string;
  source: WindowedSourceName;
  pacing?: RetryPacing;
}

export interface ScheduledIngestResult {
  /** Start of the first window not yet started: the next run continues from here. */
  cursor: string;
  started: number;
  alreadyStarted: number;
  /** Set when the feed was down longer than Graph keeps logs: this range could not be read. */
  gap?: { from: string; to: string };
}

/**
 * What each run of a feed's schedule does: start the window workflows that are due (closed for at least the lag)
 * since the last run's cursor, which Temporal hands to the next run as its last completion result. After downtime
 * the cursor is old and the runs catch up, `maxWindowsPerRun` at a time. Windows are children that outlive the run
 * (they sleep until their sweeps); their deterministic ids make a window that already exists a no-op.
 */
export async function scheduledIngest(input: ScheduledIngestInput): Promise<ScheduledIngestResult> {
  const settings = await tokenActivities.describeFeed(input.feed);
  const now = Date.now();
  const previous = workflowInfo().lastResult as ScheduledIngestResult | undefined;
  const closedBefore = now - settings.lagMs;
  const retentionStart = alignDown(now - settings.retentionDays * 86_400_000, settings.windowMs) + settings.windowMs;
  let cursor = previous?.cursor ? Date.parse(previous.cursor) : alignDown(closedBefore - settings.initialLookbackMs, settings.windowMs);
  let gap: ScheduledIngestResult['gap'];
  if (cursor < retentionStart) {
    gap = { from: new Date(cursor).toISOString(), to: new Date(retentionStart).toISOString() };
    log.warn('feed was stopped longer than Graph retains logs; the gap cannot be read', { feed: input.feed, ...gap });
    cursor = retentionStart;
  }
  const windows = windowsBetween(cursor, closedBefore, settings.windowMs, settings.maxWindowsPerRun);
  let started = 0;
  let alreadyStarted = 0;
  for (const w of windows) {
    const args: IngestWindowInput = {
      feed: input.feed, source: input.source, windowStart: w.start, windowEnd: w.end,
      sweepDelaysMs: settings.sweepDelaysMs, tenantId: settings.tenantId, pacing: input.pacing,
    };
    try {
      await startChild(ingestWindow, {
        workflowId: childWindowId(input.feed, input.source, w.start, w.end),
        args: [args],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        // A window that finished (or is running) is never read twice; a terminated one may be started again.
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        typedSearchAttributes: [
          { key: SA.feed, value: input.feed }, { key: SA.source, value: input.source },
          { key: SA.windowStart, value: new Date(w.start) }, { key: SA.kind, value: 'window' },
        ],
        staticSummary: `${input.feed} ${input.source} ${w.start} → ${w.end}`,
      });
      started++;
    } catch (err) {
      if (isCancellation(err)) throw err;
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      alreadyStarted++;
    }
  }
  const next = windows.length ? Date.parse(windows[windows.length - 1]!.end) : cursor;
  const result: ScheduledIngestResult = { cursor: new Date(next).toISOString(), started, alreadyStarted, gap };
  upsertMemo({ cursor: result.cursor, started, alreadyStarted });
  setCurrentDetails(`started ${started} window(s), ${alreadyStarted} already existed; next run continues at ${result.cursor}`);
  return result;
}
