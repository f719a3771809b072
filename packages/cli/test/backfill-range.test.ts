import { backfillRangeProblems, describeRange, spanText } from '../src/backfill-range';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.parse('2026-11-20T12:00:00Z');
const feed = { id: 'acme', retentionDays: 7, lag: 3 * 60_000, window: HOUR };
const iso = (ms: number): string => new Date(ms).toISOString();

test('a range inside retention and closed before the lag has no problems', () => {
  expect(backfillRangeProblems(feed, { source: 'directoryAudits', from: iso(now - 3 * DAY), to: iso(now - DAY) }, now)).toEqual([]);
});

test('from must be before to', () => {
  const problems = backfillRangeProblems(feed, { source: 'signIns', from: iso(now - DAY), to: iso(now - 2 * DAY) }, now);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/--from .* must be before --to/);
});

test('a start older than the feed retention names the retention and the oldest readable time', () => {
  const problems = backfillRangeProblems(feed, { source: 'directoryAudits', from: iso(now - 8 * DAY), to: iso(now - DAY) }, now);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toContain('7 days for feed "acme"');
  expect(problems[0]).toContain(iso(now - 7 * DAY));
});

test('the first window starts at --from exactly, so --from itself is what must be inside retention', () => {
  const at = now + 10 * 60_000; // oldest readable: 2026-11-13T12:10Z, not on an hour
  expect(backfillRangeProblems(feed, { source: 'directoryAudits', from: '2026-11-13T12:30:00.000Z', to: iso(at - DAY) }, at)).toEqual([]);
  expect(backfillRangeProblems(feed, { source: 'directoryAudits', from: '2026-11-13T12:05:00.000Z', to: iso(at - DAY) }, at)[0]).toMatch(/too old/);
});

test('the end must be at least the lag before now', () => {
  const problems = backfillRangeProblems(feed, { source: 'directoryAudits', from: iso(now - DAY), to: iso(now - 60_000) }, now);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/not closed yet.*lag \(3m\)/);
});

test('users cannot be backfilled and bad dates are named', () => {
  expect(backfillRangeProblems(feed, { source: 'users', from: iso(now - DAY), to: iso(now - HOUR) }, now)[0]).toMatch(/--source must be one of directoryAudits, signIns/);
  expect(backfillRangeProblems(feed, { source: 'signIns', from: 'yesterday', to: iso(now - HOUR) }, now)).toEqual(['--from is not an ISO 8601 date-time: "yesterday"']);
});

test('a range shorter than the feed window is read, not refused; the CLI says exactly what it covers', () => {
  const from = Date.parse('2026-11-19T10:10:00Z');
  const to = iso(from + 40 * 60_000 + 26_000);
  expect(backfillRangeProblems(feed, { source: 'directoryAudits', from: iso(from), to }, now)).toEqual([]);
  const text = describeRange({ from: iso(from), to });
  expect(text).toContain('[2026-11-19T10:10:00.000Z, 2026-11-19T10:50:26.000Z) — 40m 26s');
  expect(text).toContain('as one window');
  expect(describeRange({ from: iso(from), to, windowMs: 10 * 60_000 })).toContain('as 5 windows of up to 10m');
  expect(spanText(7 * DAY + 1)).toBe('7d 1ms');
});
