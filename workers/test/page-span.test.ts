import { pageSpan } from '../src/page-span';

const audit = (t: string): Record<string, unknown> => ({ id: t, activityDateTime: t });

test('a page newest first gives its oldest time', () => {
  const s = pageSpan('directoryAudits', [audit('2026-11-01T10:00:02.5Z'), audit('2026-11-01T10:00:02.5Z'), audit('2026-11-01T10:00:01.1234567Z')]);
  expect(s).toEqual({ newestFirst: true, oldestMs: Date.parse('2026-11-01T10:00:01.123Z') });
});

test('a page in another order is flagged, so its window reads every page instead of splitting', () => {
  expect(pageSpan('directoryAudits', [audit('2026-11-01T10:00:01Z'), audit('2026-11-01T10:00:02Z')]).newestFirst).toBe(false);
});

test('a page that starts with records the previous page ended with is still newest first; a new record out of order is not', () => {
  const previousPage = [audit('2026-11-01T10:00:05Z'), audit('2026-11-01T10:00:04Z'), audit('2026-11-01T10:00:03Z')];
  // Graph resumed two records early: the next page repeats 04 and 03, then goes on below.
  const page = [audit('2026-11-01T10:00:04Z'), audit('2026-11-01T10:00:03Z'), audit('2026-11-01T10:00:02Z'), audit('2026-11-01T10:00:01Z')];
  const repeats = new Set(previousPage.map((r) => r.id as string));
  expect(pageSpan('directoryAudits', page, { previous: previousPage[2], repeats })).toEqual({ newestFirst: true, oldestMs: Date.parse('2026-11-01T10:00:01Z') });
  // Control: without knowing the previous page's ids, the repeats read as an order break.
  expect(pageSpan('directoryAudits', page, { previous: previousPage[2] }).newestFirst).toBe(false);
  // A record the previous page did not hold, newer than its last: an order break whatever repeats come with it.
  const newcomer = { id: 'new', activityDateTime: '2026-11-01T10:00:04.5Z' };
  expect(pageSpan('directoryAudits', [page[0]!, newcomer, ...page.slice(1)], { previous: previousPage[2], repeats }).newestFirst).toBe(false);
});

test('records without a time are left out; sign-ins use createdDateTime; users have no span', () => {
  expect(pageSpan('directoryAudits', [{ id: 'x' }, audit('2026-11-01T10:00:00Z')])).toEqual({ newestFirst: true, oldestMs: Date.parse('2026-11-01T10:00:00Z') });
  expect(pageSpan('signIns', [{ id: 'a', createdDateTime: '2026-11-01T09:00:00Z' }]).oldestMs).toBe(Date.parse('2026-11-01T09:00:00Z'));
  expect(pageSpan('users', [{ id: 'u' }])).toEqual({ newestFirst: true, oldestMs: undefined });
});
