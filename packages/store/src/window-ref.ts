import type { BlobStore } from './blob-store';
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

/**
 * Before the record index, each window kept the ids it delivered in `windows/<feed>/<source>/<startCompact>/manifest/
 * p<pass>.ids` (newline-joined). A window in flight across the upgrade reads them so its sweeps do not deliver again
 * what its first read delivered under the old layout. Removable once no window older than the upgrade is open.
 */
export async function legacyDeliveredIds(store: BlobStore, w: WindowRef): Promise<Set<string>> {
  const folder = `windows/${keySegment(w.feed)}/${keySegment(w.source)}/${compactTime(w.windowStart)}/manifest`;
  const ids = new Set<string>();
  for (const key of await store.list(folder)) {
    if (!/\/p\d+\.ids$/.test(key)) continue;
    for (const id of (await store.get(key)).toString('utf8').split('\n')) if (id) ids.add(id);
  }
  return ids;
}
