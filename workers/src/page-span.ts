import { recordId, recordTime } from '@entra-ingest/ocsf';
import type { SourceName } from '@entra-ingest/workflows';

/** What the order check of a read's next page needs from the page before it. */
export interface PageBefore {
  /** Time of the page's last record with a time (ms): the next page's records must not be newer. */
  lastMs?: number;
  /** Ids of the page's records: a next page may start with some of them again (a next link resumed a little early). */
  ids?: ReadonlySet<string>;
}

/**
 * The oldest record time of a report page and whether the page came newest first, after `before` (the page read
 * just before it, if known). A backfill window splits by volume only while its pages come newest first; if Graph ever
 * returned another order, the window would read all its pages instead. Records without a usable time are left out
 * (they become dead letters when mapped), and so are records the page before held as well: they are read already
 * and say nothing about the order. `lastMs`: the time the page after this one is checked against.
 */
export function pageSpan(
  source: SourceName, records: readonly unknown[], before: PageBefore = {},
): { oldestMs?: number; newestFirst: boolean; lastMs?: number } {
  let oldestMs: number | undefined;
  let latest = before.lastMs;
  let newestFirst = true;
  for (const record of records) {
    const t = source === 'users' ? undefined : recordTime(source, record);
    if (t === undefined) continue;
    if (before.ids?.size) {
      const id = recordId(source, record);
      if (id !== undefined && before.ids.has(id)) continue;
    }
    if (latest !== undefined && t > latest) newestFirst = false;
    latest = t;
    oldestMs = oldestMs === undefined ? t : Math.min(oldestMs, t);
  }
  return { oldestMs, newestFirst, lastMs: latest };
}

/** The ids of a page's records, for the order check of the page after it. */
export function pageIds(source: SourceName, records: readonly unknown[]): Set<string> {
  const ids = new Set<string>();
  for (const r of records) {
    const id = recordId(source, r);
    if (id !== undefined) ids.add(id);
  }
  return ids;
}

/** The order check's part of a fetch's last page, as stored beside its next link. */
export interface StoredPageBefore {
  lastMs?: number;
  ids: string[];
}

export function pageBeforeBlob(before: PageBefore): string {
  return JSON.stringify({ lastMs: before.lastMs, ids: [...before.ids ?? []] } satisfies StoredPageBefore);
}

export function pageBeforeOf(stored: StoredPageBefore): PageBefore {
  return { lastMs: stored.lastMs, ids: new Set(stored.ids) };
}
