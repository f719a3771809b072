import { recordTime } from '@entra-ingest/ocsf';
import type { SourceName } from '@entra-ingest/workflows';

/**
 * The oldest record time of a report page and whether the page came newest first. A backfill window splits by
 * volume only on pages that are newest first; if Graph ever returned another order, the window would read all its
 * pages instead. Records without a usable time are left out (they become dead letters when mapped).
 */
export function pageSpan(source: SourceName, records: readonly unknown[]): { oldestMs?: number; newestFirst: boolean } {
  let oldestMs: number | undefined;
  let previous = Number.POSITIVE_INFINITY;
  let newestFirst = true;
  for (const record of records) {
    const t = source === 'users' ? undefined : recordTime(source, record);
    if (t === undefined) continue;
    if (t > previous) newestFirst = false;
    previous = t;
    oldestMs = oldestMs === undefined ? t : Math.min(oldestMs, t);
  }
  return { oldestMs, newestFirst };
}
