// Page claim checks: one blob per fetch activity, holding the pages it read as lines (one JSON array of records per
// line; JSON.stringify never writes a raw line break). A blob with one line is what a one-page fetch writes, and
// what every fetch wrote before fetches read several pages, so both layouts read the same way.
import type { BlobStore } from '@entra-ingest/store';
import type { WindowPass } from '@entra-ingest/workflows';
import { pageKey } from './window-layout';

/** The text of one claim-check blob for pages given as their JSON texts, in order. */
export function pagesBlobText(pageTexts: readonly string[]): string {
  return pageTexts.join('\n');
}

/** The pages of one blob, as their JSON texts. */
export function pageTextsOf(blobText: string): string[] {
  return blobText.split('\n').filter((line) => line !== '');
}

/**
 * The records of each of a read's `pages` pages, one page at a time: a blob stored at page index p holds pages
 * p, p+1, … (as many as its lines), so the next blob is at p plus that count. Only one page is parsed at a time.
 */
export async function* readPageRecords(store: BlobStore, w: WindowPass, pages: number): AsyncGenerator<{ page: number; records: unknown[] }> {
  for (let p = 0; p < pages;) {
    const texts = pageTextsOf((await store.get(pageKey(w, p))).toString('utf8'));
    if (texts.length === 0) throw new Error(`page claim check ${pageKey(w, p)} holds no page`);
    for (const text of texts) {
      if (p >= pages) break;
      yield { page: p, records: JSON.parse(text) as unknown[] };
      p++;
    }
  }
}
