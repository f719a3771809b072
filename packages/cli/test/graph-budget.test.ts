import { budgetNote } from '../src/graph-budget';
import { createProgressView } from '../src/progress-bar';

const rate = { requests: 5, per: 10_000 };

test('the note says the backfill waits for the Graph budget and how much of the queue is other work', () => {
  expect(budgetNote({ queued: 37 }, 4, rate)).toBe("waiting for the tenant's Graph budget (5 requests per 10s): 37 requests queued, 33 of them from the schedule or other backfills");
  expect(budgetNote({ queued: 3 }, 4, rate)).toBe("waiting for the tenant's Graph budget (5 requests per 10s): 3 requests queued, all of them this backfill's");
});

test('no note when nothing waits or the server cannot say', () => {
  expect(budgetNote({ queued: 0 }, 4, rate)).toBeUndefined();
  expect(budgetNote(undefined, 4, rate)).toBeUndefined();
});

test('the line view carries the note; a paused backfill shows PAUSED, not the note', () => {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
  const view = createProgressView(stream, 0);
  const p = { feed: 'demo', source: 'directoryAudits', from: 'a', to: 'b', windowsTotal: 30, windowsDone: 0, windowsSkipped: 0, windowsFailed: 0, running: 4, percent: 0, eventsDelivered: 0, eventsPerSecond: 0, paused: false };
  view.update(p as never, budgetNote({ queued: 37 }, 4, rate));
  view.update({ ...p, paused: true } as never, budgetNote({ queued: 37 }, 4, rate));
  expect(lines[0]).toContain("0% | windows 0/30 | 4 running | 0 events | 0/s | ETA ? | waiting for the tenant's Graph budget");
  expect(lines[1]).toContain('PAUSED');
  expect(lines[1]).not.toContain('Graph budget');
});
