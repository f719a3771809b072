import { compactTime, keySegment } from './keys';

/** One ingestion window of one source of one feed. */
export interface WindowRef {
  feed: string;
  source: string;
  windowStart: string; // ISO
  windowEnd: string; // ISO
}

/**
 * Where a window keeps its claim checks: `windows/<feed>/<source>/<startCompact>-<endCompact>`. Start AND end: windows
 * of different sizes may start at the same instant (a backfill beside the schedule, a changed window) and must not
 * share a folder.
 */
export function windowPrefix(w: WindowRef): string {
  return `windows/${keySegment(w.feed)}/${keySegment(w.source)}/${compactTime(w.windowStart)}-${compactTime(w.windowEnd)}`;
}
