import {
  ApplicationFailure, ParentClosePolicy, WorkflowIdReusePolicy, condition, defineSignal, getExternalWorkflowHandle,
  isCancellation, log, startChild,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { windowWorkflowId } from './ids';
import type { IngestWindowInput, WindowTotals } from './ingest-window';
import { SA } from './search-attributes';
import type { SplitPolicy } from './split';
import type { TimeWindow } from './windows';

/** How a backfill's windows split by volume and whom they tell about their progress. */
export interface WindowSplit extends SplitPolicy {
  /** Pieces of one window read at the same time. */
  concurrency: number;
  /** The backfill workflow told of each window read (its progress); it may have continued as new. */
  backfillId?: string;
}

/** What one window tells its backfill after each read. Counts and times only. */
export interface WindowReadReport {
  /** 1 after a window's first read. */
  windowsRead: number;
  /** Pieces this window split into (they add to the backfill's total). */
  windowsAdded: number;
  /** Pieces an earlier run had already read (their ids existed). */
  windowsSkipped: number;
  /** Milliseconds of the range this report covers: what the window read itself, or pieces it skipped. */
  coveredMs: number;
  delivered: number;
}

export const windowReadSignal = defineSignal<[WindowReadReport]>('windowRead');

/** Tells the backfill; a backfill that has ended (cancelled, say) has nobody to tell, which is not this window's failure. */
export async function reportToBackfill(split: WindowSplit | undefined, report: WindowReadReport): Promise<void> {
  if (!split?.backfillId) return;
  try {
    await getExternalWorkflowHandle(split.backfillId).signal(windowReadSignal, report);
  } catch (err) {
    if (isCancellation(err)) throw err;
    log.info('backfill not told of a window read', { backfillId: split.backfillId, error: (err as Error).message });
  }
}

const emptyTotals = (): WindowTotals => ({ fetched: 0, delivered: 0, late: 0, duplicatesSkipped: 0, outsideWindow: 0, deadLetters: 0, passesDone: 0 });

/**
 * Reads a window's unread part as child windows, `split.concurrency` at a time. Their ids derive from their ranges,
 * so a window read again after a restart starts only the pieces that did not complete. A piece that ended without
 * completing (terminated by hand) fails this window once the others are done, so the backfill reports it and starting
 * the backfill again reads it.
 */
export async function readPieces(parent: IngestWindowInput, split: WindowSplit, pieces: TimeWindow[]): Promise<WindowTotals> {
  const sum = emptyTotals();
  let running = 0;
  let failed = 0;
  let skipped = 0;
  let skippedMs = 0;
  const done: Promise<void>[] = [];
  for (const piece of pieces) {
    await condition(() => running < split.concurrency);
    const now = Date.now();
    const args: IngestWindowInput = {
      feed: parent.feed, source: parent.source, windowStart: piece.start, windowEnd: piece.end, tenantId: parent.tenantId, pacing: parent.pacing,
      // A piece splits by volume only: spreading again would multiply small windows.
      sweepDelaysMs: parent.sweepDelaysMs.filter((d) => Date.parse(piece.end) + d > now), split: { ...split, spreadTo: undefined },
    };
    try {
      const handle = await startChild<(input: IngestWindowInput) => Promise<WindowTotals>>('ingestWindow', {
        workflowId: windowWorkflowId(parent.feed, parent.source, piece.start, piece.end), args: [args],
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        typedSearchAttributes: [
          { key: SA.feed, value: parent.feed }, { key: SA.source, value: parent.source },
          { key: SA.windowStart, value: new Date(piece.start) }, { key: SA.kind, value: 'window' },
        ],
        staticSummary: `backfill piece ${piece.start} → ${piece.end}`,
      });
      running++;
      done.push(handle.result().then(
        (t) => {
          for (const k of Object.keys(sum) as (keyof WindowTotals)[]) if (k !== 'passesDone') sum[k] += t[k];
        },
        (err: unknown) => {
          if (!isCancellation(err)) failed++;
        },
      ).finally(() => running--));
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      // Read (or being read) by an earlier run of this window: its records are delivered by that run.
      skipped++;
      skippedMs += Date.parse(piece.end) - Date.parse(piece.start);
    }
  }
  if (skipped) await reportToBackfill(split, { windowsRead: 0, windowsAdded: 0, windowsSkipped: skipped, coveredMs: skippedMs, delivered: 0 });
  await Promise.all(done);
  if (failed) {
    throw ApplicationFailure.nonRetryable(`${failed} of ${pieces.length} pieces of ${parent.windowStart} → ${parent.windowEnd} ended without completing; start the backfill again to read them`, 'EntraPieceFailed');
  }
  return sum;
}
