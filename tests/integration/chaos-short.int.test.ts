import { SHORT_RUN } from '../chaos/options';
import { runChaos } from '../chaos/run-chaos';
import { summaryLine, tallySource, uncovered, windowSpanOfId } from '../chaos/tally';

// The chaos run in its short form (tens of thousands of events, two kills, a server restart, a receiver outage longer
// than the delivery activity's retries, an expired then rotated secret, a backfill in windows of other sizes over what
// the schedule reads, the feed's window changed in its config, a receiver refusing one event for good, records with
// hostile ids) on its own Temporal dev server: nothing lost, nothing doubled, in every sink; refused records are
// dead letters.
// `pnpm test:chaos` runs the full form.

jest.setTimeout(300_000);

test('under kills, a server restart, a receiver outage and an expired secret every record arrives once in every sink', async () => {
  const lines: string[] = [];
  const result = await runChaos(SHORT_RUN, (line) => lines.push(line));
  const report = `${lines.join('\n')}\n${result.line}`;
  expect({ notes: result.notes, lost: result.lost, duplicated: result.duplicated }).toEqual({ notes: [], lost: 0, duplicated: 0 });
  expect(result.line).toMatch(/^expected=\d+ delivered=\d+ deadLettered=\d+ lost=0 duplicated=0 faults=\d+ kills=\d+ seconds=\d+$/);
  // Every source was really exercised, in both sinks.
  for (const source of ['directoryAudits', 'signIns', 'users']) {
    const s = result.sources.find((x) => x.source === source)!;
    expect(s.expected).toBeGreaterThan(source === 'users' ? 10 : 5_000);
    expect(s.delivered + s.deadLettered).toBe(s.expected);
    expect(Object.keys(s.perSink).sort()).toEqual(['file', 'http']);
  }
  expect(result.missingWindows).toEqual({ directoryAudits: [], signIns: [] });
  expect(result.expected).toBeGreaterThan(20_000);
  // The rejected event and the hostile ids were dead letters, not lost (the run notes it otherwise).
  expect(result.sources.find((x) => x.source === 'directoryAudits')!.deadLettered).toBeGreaterThan(1);
  expect(result.kills).toBe(SHORT_RUN.kills);
  expect(result.faults).toBeGreaterThan(10);
  // The expired secret was visible as a blocked window, and the feed recovered by itself (nothing is left running).
  expect(result.blockedSeen.length).toBeGreaterThan(0);
  if (result.seconds > 240) throw new Error(`the short chaos run took ${result.seconds} s (limit 240 s)\n${report}`);
});

test('the comparison catches a record missing from one sink and a copy delivered twice', () => {
  const t = tallySource('directoryAudits', ['a', 'b', 'c'], {
    file: [{ id: 'a', scope: '' }, { id: 'b', scope: '' }, { id: 'c', scope: '' }, { id: 'c', scope: '' }],
    http: [{ id: 'a', scope: '' }, { id: 'c', scope: '' }, { id: 'z', scope: '' }],
  });
  expect(t).toMatchObject({ expected: 3, delivered: 2, lost: 1, duplicated: 1, unexpected: 1, lostSample: ['b'] });
  // Users: the same user in two rounds is two snapshots, not a duplicate; twice in one round is.
  const users = tallySource('users', ['u1'], { file: [{ id: 'u1', scope: 'r1' }, { id: 'u1', scope: 'r2' }, { id: 'u1', scope: 'r2' }] });
  expect(users).toMatchObject({ delivered: 1, lost: 0, duplicated: 1 });
  expect(summaryLine({ expected: 3, delivered: 2, deadLettered: 0, lost: 1, duplicated: 1, faults: 4, kills: 5, seconds: 6 }))
    .toBe('expected=3 delivered=2 deadLettered=0 lost=1 duplicated=1 faults=4 kills=5 seconds=6');
  // A record one sink refused (a dead letter of that sink) or no sink could take is not lost; one missing without a
  // dead letter is.
  const letters = tallySource('directoryAudits', ['a', 'b', 'c', 'd'], {
    file: [{ id: 'a', scope: '' }, { id: 'b', scope: '' }],
    http: [{ id: 'a', scope: '' }],
  }, { http: new Set(['b']), '*': new Set(['c']) });
  expect(letters).toMatchObject({ delivered: 1, deadLettered: 2, lost: 1, lostSample: ['d'] });
});

test('coverage is checked over windows of any size, and a gap between them is found', () => {
  const span = windowSpanOfId('ingest/chaos/directoryAudits/20261101T120000Z-20261101T121000.500Z')!;
  expect(span).toEqual({ start: Date.parse('2026-11-01T12:00:00Z'), end: Date.parse('2026-11-01T12:10:00.500Z') });
  expect(windowSpanOfId('backfill/chaos/directoryAudits/x')).toBeUndefined();
  // 0–10 and 8–12 overlap (a changed window size); 12–15 is missing; 15–20 closes the range.
  const spans = [{ start: 0, end: 10 }, { start: 15, end: 20 }, { start: 8, end: 12 }];
  expect(uncovered(spans, 0, 20)).toEqual([{ start: 12, end: 15 }]);
  expect(uncovered([...spans, { start: 11, end: 16 }], 0, 20)).toEqual([]);
  expect(uncovered(spans, -5, 25)).toEqual([{ start: -5, end: 0 }, { start: 12, end: 15 }, { start: 20, end: 25 }]);
});
