// Page claim checks: one blob per fetch activity, holding the pages it read as lines: each page's body as Graph sent
// it (`{"value":[…],…}`), or, in blobs of earlier versions, a JSON array of the page's records. A blob with one line is
// what a one-page fetch writes, and what every fetch wrote before fetches read several pages, so both layouts read
// the same way.
import type { BlobStore } from '@entra-ingest/store';
import type { WindowPass } from '@entra-ingest/workflows';
import { pageKey } from './window-layout';

const NEWLINE = 0x0a;
const SPACE = 0x20;

/**
 * A page's body as one line of a blob. A raw line break in JSON text can only be whitespace (a string escapes its
 * own, and no byte of a multi-byte UTF-8 character is 0x0a), so it becomes a space: same JSON, one line.
 */
export function pageLine(body: Buffer): Buffer {
  if (body.indexOf(NEWLINE) < 0) return body;
  const line = Buffer.from(body);
  for (let i = line.indexOf(NEWLINE); i >= 0; i = line.indexOf(NEWLINE, i + 1)) line[i] = SPACE;
  return line;
}

/** The records of one stored page: a body's `value`, or the array an earlier version stored. */
export function pageRecordsOf(line: string, where: string): unknown[] {
  const page = JSON.parse(line) as unknown;
  if (Array.isArray(page)) return page;
  const value = (page as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) throw new Error(`page claim check ${where} holds a page without a value array`);
  return value;
}

/** One claim-check blob for pages given as their JSON (UTF-8 bytes, or text), in order. */
export function pagesBlob(pages: readonly (Buffer | string)[]): Buffer {
  const parts: Buffer[] = [];
  pages.forEach((p, i) => {
    if (i > 0) parts.push(Buffer.from('\n'));
    parts.push(typeof p === 'string' ? Buffer.from(p, 'utf8') : p);
  });
  return Buffer.concat(parts);
}

/** The pages of one blob as byte ranges: decoded one at a time, so only one page's text is on the heap at once. */
export function pageRangesOf(blob: Buffer): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  while (start < blob.length) {
    let end = blob.indexOf(NEWLINE, start);
    if (end < 0) end = blob.length;
    if (end > start) out.push([start, end]);
    start = end + 1;
  }
  return out;
}

/**
 * The records of each of a read's `pages` pages, one page at a time: a blob stored at page index p holds pages
 * p, p+1, … (as many as its lines), so the next blob is at p plus that count. Only one page is parsed at a time.
 */
export async function* readPageRecords(store: BlobStore, w: WindowPass, pages: number): AsyncGenerator<{ page: number; records: unknown[] }> {
  for (let p = 0; p < pages;) {
    const blob = await store.get(pageKey(w, p));
    const ranges = pageRangesOf(blob);
    if (ranges.length === 0) throw new Error(`page claim check ${pageKey(w, p)} holds no page`);
    for (const [start, end] of ranges) {
      if (p >= pages) break;
      yield { page: p, records: pageRecordsOf(blob.toString('utf8', start, end), pageKey(w, p)) };
      p++;
    }
  }
}
