import {
  CancellationScope, continueAsNew, defineQuery, isCancellation, patched, setCurrentDetails, setHandler, sleep, upsertMemo, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { WindowedSourceName, WindowPass } from './activity-types';
import { deliverActivities, mapActivities, releaseActivities, tokenActivities } from './activity-proxies';
import { readAllPages } from './read-pages';
import { type WindowSplit, readPieces, reportToBackfill } from './pieces';
import { piecesFor, unreadPart, type ReadSoFar } from './split';
import type { FetchResult } from './activity-types';
import { DEFAULT_PACING, type RetryPacing, type StepStatus, untilDone } from './resilient';
import { SA } from './search-attributes';

export interface WindowTotals {
  fetched: number;
  delivered: number;
  late: number;
  duplicatesSkipped: number;
  outsideWindow: number;
  deadLetters: number;
  passesDone: number;
}

export interface IngestWindowInput {
  feed: string;
  source: WindowedSourceName;
  windowStart: string;
  windowEnd: string;
  /** Re-reads after the window closed (ms after windowEnd) that deliver late records only. */
  sweepDelaysMs: number[];
  /** Names the tenant's Graph task queue; starters that know it save a describeFeed call per window. */
  tenantId?: string;
  pacing?: RetryPacing;
  /** Backfill windows: split by volume (the first read stops early and hands its unread part to pieces). */
  split?: WindowSplit;
  /** Carried over continue-as-new. */
  fromPass?: number;
  totals?: WindowTotals;
  /** Failed attempts of the current pass in earlier runs (continue-as-new while blocked). */
  attemptsBefore?: number;
  /** Carried over continue-as-new: how far back (ms) an earlier attempt of the current split read (see below). */
  readDownToMs?: number;
}

export interface WindowProgress extends WindowTotals {
  feed: string;
  source: string;
  windowStart: string;
  windowEnd: string;
  pass: number;
  passes: number;
  phase: 'waiting' | 'token' | 'fetch' | 'map' | 'deliver' | 'sleeping-until-sweep' | 'done';
  status: StepStatus['status'];
  lastError?: string;
}

export const windowProgressQuery = defineQuery<WindowProgress>('progress');

const emptyTotals = (): WindowTotals => ({ fetched: 0, delivered: 0, late: 0, duplicatesSkipped: 0, outsideWindow: 0, deadLetters: 0, passesDone: 0 });

/**
 * One time window of one source of one feed: read it, map it, deliver it, then read it again at each sweep delay
 * and deliver only what appeared late. Events travel between the activities by reference (claim checks in the
 * worker's blob store); this history holds counts and times only.
 */
export async function ingestWindow(input: IngestWindowInput): Promise<WindowTotals> {
  const pacing = input.pacing ?? DEFAULT_PACING;
  const totals = input.totals ?? emptyTotals();
  const passes = 1 + input.sweepDelaysMs.length;
  const step: StepStatus = { status: 'running', attempts: input.attemptsBefore ?? 0 };
  let pass = input.fromPass ?? 0;
  let phase: WindowProgress['phase'] = 'waiting';
  let tenantId = input.tenantId;
  // After a split, this window's own part (and its sweeps) is what it read: [readFrom, windowEnd).
  let readFrom = input.windowStart;
  const soFar = (f: FetchResult): ReadSoFar => ({
    startMs: Date.parse(input.windowStart), endMs: Date.parse(input.windowEnd), pages: f.pages, more: f.more, oldestMs: f.oldestMs, newestFirst: f.newestFirst,
  });
  setHandler(windowProgressQuery, () => ({
    feed: input.feed, source: input.source, windowStart: input.windowStart, windowEnd: input.windowEnd,
    pass, passes, phase, status: step.status, lastError: step.lastError, ...totals,
  }));

  for (; pass < passes; pass++) {
    if (pass > 0) {
      const due = Date.parse(input.windowEnd) + input.sweepDelaysMs[pass - 1]!;
      phase = 'sleeping-until-sweep';
      setCurrentDetails(`Pass ${pass} of ${passes - 1} sweeps due at ${new Date(due).toISOString()}; delivered ${totals.delivered} so far`);
      if (due > Date.now()) await sleep(due - Date.now());
    }
    const w: WindowPass = { feed: input.feed, source: input.source, windowStart: readFrom, windowEnd: input.windowEnd, pass };
    const split = pass === 0 ? input.split : undefined;
    const label = pass === 0 ? 'first read' : `sweep ${pass}`;
    // A split read stops early, where the records seen so far say; a retry reads again and, with records arrived
    // late meanwhile, may stop higher up. Every record an earlier attempt claimed must be mapped again (or this pass
    // holds its claim for good and the pieces skip it): a retry reads at least down past where earlier ones got.
    let readDownToMs = pass === (input.fromPass ?? 0) ? input.readDownToMs : undefined;
    let result;
    try {
      result = await untilDone(async () => {
        phase = 'token';
        await tokenActivities.refreshToken.executeWithOptions(
          { summary: `token for ${input.feed}` }, [input.feed]);
        tenantId ??= (await tokenActivities.describeFeed(input.feed)).tenantId;
        phase = 'fetch';
        const coverEarlier = split && readDownToMs !== undefined && patched('split-retry-reads-past-earlier-attempts');
        const stopAfter = split && ((f: FetchResult) =>
          (!coverEarlier || (f.oldestMs !== undefined && f.oldestMs < readDownToMs!)) && piecesFor(soFar(f), split).length > 0);
        const fetched = await readAllPages(w, tenantId, `${input.source} ${label}`, undefined, stopAfter);
        if (split && fetched.oldestMs !== undefined) readDownToMs = Math.min(readDownToMs ?? fetched.oldestMs, fetched.oldestMs);
        const deliverRetry = pacing.deliverAttempts ? { retry: { maximumAttempts: pacing.deliverAttempts } } : {};
        // One activity maps and delivers (no events written in between); windows that mapped before keep two.
        if (patched('map-and-deliver')) {
          phase = 'deliver';
          const r = await deliverActivities.mapAndDeliverWindow.executeWithOptions(
            { summary: `map and deliver ${fetched.records} records`, ...deliverRetry }, [{ ...w, pages: fetched.pages }]);
          return { fetched, mapped: r, delivered: r };
        }
        phase = 'map';
        const mapped = await mapActivities.mapWindow.executeWithOptions(
          { summary: `map ${fetched.records} records to OCSF` }, [{ ...w, pages: fetched.pages }]);
        phase = 'deliver';
        const delivered = await deliverActivities.deliverWindow.executeWithOptions(
          { summary: `deliver ${mapped.newRecords} new events`, ...deliverRetry }, [w]);
        return { fetched, mapped, delivered };
      }, step, pacing, () => continueAsNew<typeof ingestWindow>({ ...input, windowStart: readFrom, fromPass: pass, totals, attemptsBefore: step.attempts, readDownToMs }));
    } catch (err) {
      // Cancelled (e.g. a cancelled backfill): give back what this pass claimed and no sink received. If that fails,
      // the claims stay and a re-run of this window delivers them; the cancellation itself goes on.
      if (isCancellation(err) && patched('release-claims-on-cancel')) {
        await CancellationScope.nonCancellable(() => releaseActivities.releaseWindow(w)).catch(() => undefined);
      }
      throw err;
    }

    totals.fetched += result.fetched.records;
    totals.delivered += result.delivered.delivered;
    totals.duplicatesSkipped += result.mapped.duplicatesSkipped + (result.delivered.alreadyOwned ?? 0);
    totals.outsideWindow += result.mapped.outsideWindow;
    totals.deadLetters += result.mapped.deadLetters + (result.delivered.rejected ?? 0);
    if (pass > 0) totals.late += result.delivered.delivered;
    const pieces = split ? piecesFor(soFar(result.fetched), split) : [];
    if (pieces.length) readFrom = new Date(unreadPart(soFar(result.fetched))!.endMs).toISOString();
    await reportToBackfill(input.split, {
      windowsRead: pass === 0 ? 1 : 0, windowsAdded: pieces.length, windowsSkipped: 0, delivered: result.delivered.delivered,
      coveredMs: pass === 0 ? Date.parse(input.windowEnd) - Date.parse(readFrom) : 0,
    });
    if (pieces.length) {
      setCurrentDetails(`read ${result.fetched.pages} pages down to ${readFrom}; the rest goes to ${pieces.length} pieces`);
      const sub = await readPieces(input, split!, pieces);
      for (const k of Object.keys(sub) as (keyof WindowTotals)[]) if (k !== 'passesDone') totals[k] += sub[k];
    }
    totals.passesDone = pass + 1;
    upsertMemo({ totals });
    upsertSearchAttributes([{ key: SA.eventsDelivered, value: totals.delivered }]);
    setCurrentDetails(
      `${label}: fetched ${result.fetched.records} records in ${result.fetched.pages} pages, delivered ${result.delivered.delivered} new ` +
        `(${result.mapped.duplicatesSkipped} already delivered, ${result.mapped.deadLetters} dead letters)`,
    );
    if (pass + 1 < passes && workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof ingestWindow>({ ...input, windowStart: readFrom, fromPass: pass + 1, totals, attemptsBefore: 0, readDownToMs: undefined });
    }
  }
  phase = 'done';
  upsertSearchAttributes([{ key: SA.status, value: 'done' }]);
  return totals;
}
