// How a backfill window splits by volume (pure, deterministic: a restarted backfill reading the same closed range
// computes the same pieces, so it finds the children it had started). Graph returns report records newest first; after
// some pages a window has read everything from the oldest record seen to its end, and the density seen so far says
// how many pages the unread part still needs. A window that would need more than `maxPages` hands the unread part
// to pieces of about `maxPages` each, read in parallel on the tenant's rate-limited queue. A backfill's own window
// also spreads after its first page (`spreadTo`): one window reads its pages one after another, each scheduled only
// once the previous one is back, so a single read leaves the tenant's queue idle between pages.

import type { TimeWindow } from './windows';

export interface SplitPolicy {
  /** Pages one window reads before its unread part goes to pieces (about 1,000 records a page). */
  maxPages: number;
  /** Most pieces one window splits into (a busier piece splits again). Bounds one workflow's history. */
  maxPieces: number;
  /**
   * After its first page, hand the unread part to up to this many pieces (each worth a page or more) so that many
   * reads wait on the tenant's queue from the start. Backfills set it to their concurrency for the windows they
   * start; pieces do not spread again.
   */
  spreadTo?: number;
}

export const DEFAULT_SPLIT: SplitPolicy = { maxPages: 10, maxPieces: 32 };

/** What a window's first read has seen so far. */
export interface ReadSoFar {
  startMs: number;
  endMs: number;
  pages: number;
  /** Graph has more pages. */
  more: boolean;
  /** Time of the oldest record read (ms). */
  oldestMs?: number;
  /** Every page came newest first: only then does "read down to oldestMs" mean the part after it is complete. */
  newestFirst: boolean;
}

/** The part of the window not read yet: [start, the millisecond after the oldest record seen). */
export function unreadPart(r: ReadSoFar): { startMs: number; endMs: number } | undefined {
  if (!r.more || !r.newestFirst || r.oldestMs === undefined) return undefined;
  // Records in the oldest record's millisecond may continue on the next page: that millisecond stays unread (a record
  // read twice is delivered once, by the record index).
  const endMs = Math.min(r.endMs, Math.floor(r.oldestMs) + 1);
  return endMs > r.startMs ? { startMs: r.startMs, endMs } : undefined;
}

/** Pages the unread part needs at the density read so far. */
export function pagesLeft(r: ReadSoFar): number {
  const unread = unreadPart(r);
  if (!unread) return 0;
  const readMs = Math.max(1, r.endMs - unread.endMs);
  return (r.pages * (unread.endMs - unread.startMs)) / readMs;
}

/**
 * The pieces the unread part goes to, or [] to keep reading alone: split when the rest needs two pieces or more, or
 * when this window has read its `maxPages` (a window's size stays bounded even if the estimate was low), or, after
 * the first page, to spread the rest over `spreadTo` pieces of a page or more.
 */
export function piecesFor(r: ReadSoFar, policy: SplitPolicy = DEFAULT_SPLIT): TimeWindow[] {
  const unread = unreadPart(r);
  if (!unread) return [];
  const left = pagesLeft(r);
  const spread = r.pages === 1 && policy.spreadTo ? Math.min(policy.spreadTo, policy.maxPieces, Math.floor(left)) : 0;
  const wanted = Math.max(Math.ceil(left / policy.maxPages), spread);
  if (wanted < 2 && r.pages < policy.maxPages) return [];
  return splitEvenly(unread.startMs, unread.endMs, Math.min(Math.max(1, wanted), policy.maxPieces));
}

/** [startMs, endMs) cut into `n` pieces of (nearly) equal length on whole milliseconds. */
export function splitEvenly(startMs: number, endMs: number, n: number): TimeWindow[] {
  const count = Math.max(1, Math.min(n, endMs - startMs));
  const out: TimeWindow[] = [];
  for (let i = 0; i < count; i++) {
    const s = startMs + Math.floor(((endMs - startMs) * i) / count);
    const e = i === count - 1 ? endMs : startMs + Math.floor(((endMs - startMs) * (i + 1)) / count);
    out.push({ start: new Date(s).toISOString(), end: new Date(e).toISOString() });
  }
  return out;
}
