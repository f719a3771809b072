import { recordId, recordTime } from '@entra-ingest/ocsf';
import type { SourceName } from '@entra-ingest/workflows';

/**
 * The oldest record time of a report page and whether the page came newest first. A backfill window splits by
 * volume only on pages that are newest first; if Graph ever returned another order, the window would read all its
 * pages instead. Records without a usable time are left out (they become dead letters when mapped).
 * `previous`: the record read just before the page (the previous page's last), checked first. `repeats`: ids of the
 * previous page. A page may start with records the previous one ended with (a next page resumed a little early):
 * those are read already and say nothing about the order, so they are left out too.
 */
export function pageSpan(
  source: SourceName, records: readonly unknown[], opts: { previous?: unknown; repeats?: ReadonlySet<string> } = {},
): { oldestMs?: number; newestFirst: boolean } {
  let oldestMs: number | undefined;
  let latest = opts.previous === undefined ? undefined : timeOf(source, opts.previous);
  let newestFirst = true;
  for (const record of records) {
    const t = timeOf(source, record);
    if (t === undefined) continue;
    if (opts.repeats?.size) {
      const id = recordId(source, record);
      if (id !== undefined && opts.repeats.has(id)) continue;
    }
    if (latest !== undefined && t > latest) newestFirst = false;
    latest = t;
    oldestMs = oldestMs === undefined ? t : Math.min(oldestMs, t);
  }
  return { oldestMs, newestFirst };
}

function timeOf(source: SourceName, record: unknown): number | undefined {
  return source === 'users' ? undefined : recordTime(source, record);
}
