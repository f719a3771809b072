import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileBlobStore } from '@entra-ingest/store';
import type { WindowPass } from '@entra-ingest/workflows';
import { pageLine, pageRangesOf, pageRecordsOf, pagesBlob, readPageRecords } from '../src/page-blobs';
import { pageKey } from '../src/window-layout';

const w: WindowPass = { feed: 'f', source: 'directoryAudits', windowStart: '2026-11-01T00:00:00.000Z', windowEnd: '2026-11-01T01:00:00.000Z', pass: 0 };

describe('page claim checks', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'page-blobs-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps each page a line, whatever line breaks the records hold', () => {
    const pages = [[{ id: 'a', note: 'two\nlines, é and 😀' }], [{ id: 'b' }, { id: 'c\r\n' }]];
    const blob = pagesBlob(pages.map((p, i) => (i === 0 ? JSON.stringify(p) : Buffer.from(JSON.stringify(p)))));
    expect(pageRangesOf(blob).map(([a, b]) => JSON.parse(blob.toString('utf8', a, b)))).toEqual(pages);
  });

  it('stores a body as sent on one line: its line breaks outside strings become spaces, the JSON stays the same', () => {
    const page = { '@odata.context': 'x', value: [{ id: 'a', note: 'two\nlines, é and 😀' }, { id: 'c\r\n' }], '@odata.nextLink': 'https://graph/next' };
    const pretty = Buffer.from(JSON.stringify(page, null, 2), 'utf8');
    const compact = Buffer.from(JSON.stringify(page), 'utf8');
    // Control: a pretty-printed body spans lines, so as it is it would be several pages of a blob.
    expect(pageRangesOf(pagesBlob([pretty])).length).toBeGreaterThan(1);
    const blob = pagesBlob([pageLine(pretty), pageLine(compact)]);
    const ranges = pageRangesOf(blob);
    expect(ranges).toHaveLength(2);
    for (const [a, b] of ranges) expect(pageRecordsOf(blob.toString('utf8', a, b), 'k')).toEqual(page.value);
    // A body without a line break is stored as it is, not copied.
    expect(pageLine(compact)).toBe(compact);
  });

  it('reads pages stored as bodies and as record arrays (earlier versions) alike, and names a blob that is neither', () => {
    expect(pageRecordsOf('{"value":[{"id":"a"}],"@odata.deltaLink":"d"}', 'k')).toEqual([{ id: 'a' }]);
    expect(pageRecordsOf('[{"id":"a"}]', 'k')).toEqual([{ id: 'a' }]);
    expect(() => pageRecordsOf('{"error":{}}', 'pages/x/0')).toThrow(/pages\/x\/0 holds a page without a value array/);
  });

  it('reads one-page blobs (as fetches wrote before) and several-page blobs in page order', async () => {
    const store = new FileBlobStore(dir);
    const page = (n: number): string => JSON.stringify([{ id: `r${n}` }]);
    await store.put(pageKey(w, 0), page(0));
    await store.put(pageKey(w, 1), pagesBlob([page(1), page(2), page(3)]));
    await store.put(pageKey(w, 4), pagesBlob([JSON.stringify({ value: [{ id: 'r4' }] }), page(5)]));
    // A blob of an earlier read at an index this read continues past is never read.
    await store.put(pageKey(w, 2), page(99));
    const seen: [number, string][] = [];
    for await (const { page: p, records } of readPageRecords(store, w, 6)) seen.push([p, (records[0] as { id: string }).id]);
    expect(seen).toEqual([[0, 'r0'], [1, 'r1'], [2, 'r2'], [3, 'r3'], [4, 'r4'], [5, 'r5']]);
  });

  it('stops at the pages the read reported, and fails clearly on a missing claim check', async () => {
    const store = new FileBlobStore(dir);
    await store.put(pageKey(w, 0), pagesBlob(['[{"id":"a"}]', '[{"id":"b"}]']));
    const ids: string[] = [];
    for await (const { records } of readPageRecords(store, w, 1)) ids.push((records[0] as { id: string }).id);
    expect(ids).toEqual(['a']);
    const read = async (): Promise<void> => {
      for await (const _ of readPageRecords(store, w, 3)) void _;
    };
    await expect(read()).rejects.toThrow(/no blob/);
  });
});
