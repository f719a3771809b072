import { SEARCH_ATTRIBUTES } from '../../packages/dev-server/src/search-attributes';
import { SA } from '../src/search-attributes';
import { compactTime, countWindows, windowsBetween } from '../src/windows';
import { backfillWorkflowId, windowWorkflowId } from '../src/ids';

describe('windows', () => {
  const min = 60_000;
  const t0 = Date.parse('2026-11-01T00:00:00Z');

  test('aligned to the window size so the schedule and a backfill compute the same windows', () => {
    const a = windowsBetween(t0 + 7 * min, t0 + 31 * min, 5 * min);
    expect(a.map((w) => w.start)).toEqual(['00:05', '00:10', '00:15', '00:20', '00:25'].map((h) => `2026-11-01T${h}:00.000Z`));
    expect(a.at(-1)!.end).toBe('2026-11-01T00:30:00.000Z'); // the open window 00:30–00:35 is not returned
    const b = windowsBetween(t0, t0 + 60 * min, 5 * min);
    expect(b.filter((w) => a.some((x) => x.start === w.start))).toEqual(a);
  });

  test('windows tile time: each instant belongs to exactly one window', () => {
    const ws = windowsBetween(t0, t0 + 24 * 60 * min, 17 * min);
    for (let i = 1; i < ws.length; i++) expect(ws[i]!.start).toBe(ws[i - 1]!.end);
    expect(countWindows(t0, t0 + 24 * 60 * min, 17 * min)).toBe(ws.length);
  });

  test('max bounds the count; a zero or negative size is refused', () => {
    expect(windowsBetween(t0, t0 + 1000 * min, min, 10)).toHaveLength(10);
    expect(() => windowsBetween(t0, t0 + min, 0)).toThrow(/positive/);
  });

  test('ids read well and are stable', () => {
    expect(compactTime('2026-11-01T12:05:00.000Z')).toBe('20261101T120500Z');
    expect(compactTime('2026-11-01T12:05:00.250Z')).toBe('20261101T120500.250Z');
    expect(windowWorkflowId('demo', 'directoryAudits', '2026-11-01T12:05:00Z', '2026-11-01T12:10:00Z')).toBe('ingest/demo/directoryAudits/20261101T120500Z-20261101T121000Z');
    expect(backfillWorkflowId('demo', 'signIns', '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z')).toBe('backfill/demo/signIns/20261101T000000Z-20261102T000000Z');
    expect(() => compactTime('yesterday')).toThrow(/not a date-time/);
  });

  test('the workflows use exactly the search attributes the dev server registers', () => {
    const used = Object.fromEntries(Object.values(SA).map((k) => [k.name, k.type]));
    const registered = Object.fromEntries(Object.entries(SEARCH_ATTRIBUTES).map(([n, t]) => [n, t.toUpperCase()]));
    expect(used).toEqual(registered);
  });
});
