import { pageSpan } from '../src/page-span';

const audit = (t: string): Record<string, unknown> => ({ id: t, activityDateTime: t });

test('a page newest first gives its oldest time', () => {
  const s = pageSpan('directoryAudits', [audit('2026-11-01T10:00:02.5Z'), audit('2026-11-01T10:00:02.5Z'), audit('2026-11-01T10:00:01.1234567Z')]);
  expect(s).toEqual({ newestFirst: true, oldestMs: Date.parse('2026-11-01T10:00:01.123Z') });
});

test('a page in another order is flagged, so its window reads every page instead of splitting', () => {
  expect(pageSpan('directoryAudits', [audit('2026-11-01T10:00:01Z'), audit('2026-11-01T10:00:02Z')]).newestFirst).toBe(false);
});

test('records without a time are left out; sign-ins use createdDateTime; users have no span', () => {
  expect(pageSpan('directoryAudits', [{ id: 'x' }, audit('2026-11-01T10:00:00Z')])).toEqual({ newestFirst: true, oldestMs: Date.parse('2026-11-01T10:00:00Z') });
  expect(pageSpan('signIns', [{ id: 'a', createdDateTime: '2026-11-01T09:00:00Z' }]).oldestMs).toBe(Date.parse('2026-11-01T09:00:00Z'));
  expect(pageSpan('users', [{ id: 'u' }])).toEqual({ newestFirst: true, oldestMs: undefined });
});
