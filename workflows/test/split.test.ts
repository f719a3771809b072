import { DEFAULT_SPLIT, pagesLeft, piecesFor, splitEvenly, unreadPart, type ReadSoFar } from '../src/split';
import { windowsCovering } from '../src/windows';

const MIN = 60_000;
const DAY = 1440 * MIN;
const t0 = Date.parse('2026-11-01T00:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

describe('windowsCovering: [from, to) exactly', () => {
  test('an unaligned start and end are covered, inner boundaries on multiples of the size', () => {
    const ws = windowsCovering(t0 + 7 * MIN + 500, t0 + 31 * MIN + 26_000, 10 * MIN);
    expect(ws).toEqual([
      { start: iso(t0 + 7 * MIN + 500), end: iso(t0 + 10 * MIN) },
      { start: iso(t0 + 10 * MIN), end: iso(t0 + 20 * MIN) },
      { start: iso(t0 + 20 * MIN), end: iso(t0 + 30 * MIN) },
      { start: iso(t0 + 30 * MIN), end: iso(t0 + 31 * MIN + 26_000) }, // the trailing 1m26s is read, not dropped
    ]);
  });

  test('pieces tile the range with no gap or overlap; no size is one window; an empty range is none', () => {
    const ws = windowsCovering(t0 + 13, t0 + 3 * DAY + 17, DAY);
    expect(ws[0]!.start).toBe(iso(t0 + 13));
    expect(ws.at(-1)!.end).toBe(iso(t0 + 3 * DAY + 17));
    for (let i = 1; i < ws.length; i++) expect(ws[i]!.start).toBe(ws[i - 1]!.end);
    expect(windowsCovering(t0, t0 + 7 * DAY)).toEqual([{ start: iso(t0), end: iso(t0 + 7 * DAY) }]);
    expect(windowsCovering(t0, t0)).toEqual([]);
    expect(() => windowsCovering(t0, t0 + 1, 0)).toThrow(/positive/);
  });
});

describe('splitting a window by volume', () => {
  const week = (pages: number, oldestMs: number, more = true, newestFirst = true): ReadSoFar =>
    ({ startMs: t0, endMs: t0 + 7 * DAY, pages, more, oldestMs, newestFirst });

  test('a quiet window that fits its pages is not split', () => {
    expect(piecesFor(week(1, t0 + 5, false))).toEqual([]);
    // One page covered 5 of 7 days: the other 2 days need ~0.4 pages: keep reading alone.
    expect(piecesFor(week(1, t0 + 2 * DAY))).toEqual([]);
  });

  test('a busy window hands its unread part to pieces of about maxPages, which tile it exactly', () => {
    // The first page covered the last 0.1 day of 7: ~69 pages left → 7 pieces of ~10.
    const r = week(1, t0 + 6.9 * DAY + 1234.5);
    expect(pagesLeft(r)).toBeCloseTo(69, 0);
    const pieces = piecesFor(r);
    expect(pieces).toHaveLength(7);
    expect(pieces[0]!.start).toBe(iso(t0));
    // The oldest record's millisecond stays unread: a record after it on the next page is in a piece.
    expect(pieces.at(-1)!.end).toBe(iso(t0 + 6.9 * DAY + 1235));
    for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.start).toBe(pieces[i - 1]!.end);
    expect(unreadPart(r)).toEqual({ startMs: t0, endMs: t0 + 6.9 * DAY + 1235 });
  });

  test('the same read gives the same pieces (a restarted backfill finds its children)', () => {
    expect(piecesFor(week(1, t0 + 6.5 * DAY))).toEqual(piecesFor(week(1, t0 + 6.5 * DAY)));
  });

  test('a window that read maxPages and still has more splits even if the estimate says one piece', () => {
    const r = week(DEFAULT_SPLIT.maxPages, t0 + 0.5 * DAY);
    expect(Math.ceil(pagesLeft(r) / DEFAULT_SPLIT.maxPages)).toBe(1);
    expect(piecesFor(r)).toEqual([{ start: iso(t0), end: iso(t0 + 0.5 * DAY + 1) }]);
    expect(piecesFor({ ...r, pages: DEFAULT_SPLIT.maxPages - 1 })).toEqual([]);
  });

  test('pieces per split are bounded (a busier piece splits again)', () => {
    expect(piecesFor(week(1, t0 + 7 * DAY - MIN))).toHaveLength(DEFAULT_SPLIT.maxPieces);
  });

  test('never split when pages were not newest first, no time was seen, or nothing is left', () => {
    expect(piecesFor(week(1, t0 + 6.9 * DAY, true, false))).toEqual([]);
    expect(piecesFor({ ...week(1, 0), oldestMs: undefined })).toEqual([]);
    expect(piecesFor(week(1, t0 + 6.9 * DAY, false))).toEqual([]);
    // Everything read down to the window's first millisecond: nothing before it to hand out.
    expect(unreadPart({ ...week(3, t0 - 1) })).toBeUndefined();
  });

  test('splitEvenly cuts on whole milliseconds and never makes empty pieces', () => {
    expect(splitEvenly(t0, t0 + 10, 3).map((w) => Date.parse(w.end) - Date.parse(w.start))).toEqual([3, 3, 4]);
    expect(splitEvenly(t0, t0 + 2, 5)).toHaveLength(2);
  });

  describe('spreading a backfill window over its concurrency after the first page', () => {
    const spread = { ...DEFAULT_SPLIT, spreadTo: 2 };
    // One page covered the last ~0.78 of 7 days: ~8 pages left, fewer than maxPages, so by volume alone it reads on.
    const r = week(1, t0 + 6.22 * DAY);

    test('the rest goes to spreadTo pieces that tile the unread part, where by volume alone it would not split', () => {
      expect(piecesFor(r)).toEqual([]);
      const pieces = piecesFor(r, spread);
      expect(pieces).toHaveLength(2);
      expect(pieces[0]!.start).toBe(iso(t0));
      expect(pieces[1]!.start).toBe(pieces[0]!.end);
      expect(pieces[1]!.end).toBe(iso(unreadPart(r)!.endMs));
    });

    test('only after the first page, only for a page or more per piece, at most maxPieces; volume wins when it asks more', () => {
      // Two pages covered 1.5 days: ~7 pages left, read on; after one page the same read spreads (~3.7 pages: 3).
      expect(piecesFor(week(2, t0 + 5.5 * DAY), spread)).toEqual([]);
      expect(piecesFor(week(1, t0 + 5.5 * DAY), { ...spread, spreadTo: 4 })).toHaveLength(3);
      // ~1.6 pages left: one piece's worth, not two.
      expect(piecesFor(week(1, t0 + 4.3 * DAY), { ...DEFAULT_SPLIT, spreadTo: 4 })).toEqual([]);
      expect(piecesFor(week(1, t0 + 5.1 * DAY), { ...DEFAULT_SPLIT, spreadTo: 4 })).toHaveLength(2); // ~2.7 pages: two pieces
      expect(piecesFor(r, { ...spread, spreadTo: 4 })).toHaveLength(4);
      expect(piecesFor(r, { maxPages: 100, maxPieces: 1, spreadTo: 4 })).toEqual([]);
      expect(piecesFor(week(1, t0 + 6.9 * DAY + 1234.5), spread)).toHaveLength(7);
    });
  });
});
