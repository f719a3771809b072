import { pageBeforeBlob, pageBeforeOf, pageIds, pageSpan } from '../src/page-span';

const audit = (t: string): Record<string, unknown> => ({ id: t, activityDateTime: t });

test('a page newest first gives its oldest time', () => {
  const s = pageSpan('directoryAudits', [audit('2026-11-01T10:00:02.5Z'), audit('2026-11-01T10:00:02.5Z'), audit('2026-11-01T10:00:01.1234567Z')]);
  expect(s).toEqual({ newestFirst: true, oldestMs: Date.parse('2026-11-01T10:00:01.123Z'), lastMs: Date.parse('2026-11-01T10:00:01.123Z') });
});

test('a page in another order is flagged, so its window reads every page instead of splitting', () => {
  expect(pageSpan('directoryAudits', [audit('2026-11-01T10:00:01Z'), audit('2026-11-01T10:00:02Z')]).newestFirst).toBe(false);
});

test('a page that starts with records the page before ended with is still newest first; a new record out of order is not', () => {
  const previousPage = [audit('2026-11-01T10:00:05Z'), audit('2026-11-01T10:00:04Z'), audit('2026-11-01T10:00:03Z')];
  const before = { lastMs: pageSpan('directoryAudits', previousPage).lastMs, ids: pageIds('directoryAudits', previousPage) };
  expect(before.lastMs).toBe(Date.parse('2026-11-01T10:00:03Z'));
  // Graph resumed two records early: the next page repeats 04 and 03, then goes on below.
  const page = [audit('2026-11-01T10:00:04Z'), audit('2026-11-01T10:00:03Z'), audit('2026-11-01T10:00:02Z'), audit('2026-11-01T10:00:01Z')];
  expect(pageSpan('directoryAudits', page, before)).toEqual({ newestFirst: true, oldestMs: Date.parse('2026-11-01T10:00:01Z'), lastMs: Date.parse('2026-11-01T10:00:01Z') });
  // Control: without the page before's ids, the repeats read as an order break.
  expect(pageSpan('directoryAudits', page, { lastMs: before.lastMs }).newestFirst).toBe(false);
  // A record the page before did not hold, newer than its last: an order break whatever repeats come with it.
  const newcomer = { id: 'new', activityDateTime: '2026-11-01T10:00:04.5Z' };
  expect(pageSpan('directoryAudits', [page[0]!, newcomer, ...page.slice(1)], before).newestFirst).toBe(false);
});

test('the order record beside a fetch\'s last page carries the check to the next fetch', () => {
  const read = pageBeforeOf(JSON.parse(pageBeforeBlob({ lastMs: 1_700_000_000_000, ids: new Set(['a', 'b']) })));
  expect(read.lastMs).toBe(1_700_000_000_000);
  expect([...read.ids!]).toEqual(['a', 'b']);
  expect(pageBeforeOf(JSON.parse(pageBeforeBlob({})))).toEqual({ lastMs: undefined, ids: new Set() });
});

test('records without a time are left out; sign-ins use createdDateTime; users have no span', () => {
  expect(pageSpan('directoryAudits', [{ id: 'x' }, audit('2026-11-01T10:00:00Z')])).toMatchObject({ newestFirst: true, oldestMs: Date.parse('2026-11-01T10:00:00Z') });
  expect(pageSpan('signIns', [{ id: 'a', createdDateTime: '2026-11-01T09:00:00Z' }]).oldestMs).toBe(Date.parse('2026-11-01T09:00:00Z'));
  expect(pageSpan('users', [{ id: 'u' }])).toEqual({ newestFirst: true, oldestMs: undefined, lastMs: undefined });
});
