import { EVENTS_PER_PART, PartCutter, type MappedEvent, type PendingPart } from '../src/record-mapper';

const ev = (classUid: number, n: number): MappedEvent => ({ classUid, line: `{"n":${n}}`, timeMs: n, id: `r${n}`, bucket: 'b' });

/** Feeds `classes[n]` for n = 0, 1, … to a cutter; the parts it completed on the way, then the rest. */
function cut(classes: number[], eventsPerPart?: number): { full: PendingPart[]; rest: PendingPart[]; mostHeld: number } {
  const cutter = new PartCutter(eventsPerPart);
  const full: PendingPart[] = [];
  let held = 0;
  let mostHeld = 0;
  classes.forEach((c, n) => {
    held++;
    mostHeld = Math.max(mostHeld, held);
    const p = cutter.add(ev(c, n));
    if (p) {
      full.push(p);
      held -= p.lines.length;
    }
  });
  return { full, rest: cutter.rest(), mostHeld };
}

describe('PartCutter', () => {
  it('completes a part of one class at EVENTS_PER_PART events and numbers its parts', () => {
    const { full, rest } = cut(Array.from({ length: EVENTS_PER_PART * 2 + 5 }, () => 3001));
    expect(full.map((p) => [p.classUid, p.part, p.lines.length])).toEqual([[3001, 0, EVENTS_PER_PART], [3001, 1, EVENTS_PER_PART]]);
    expect(full[0]!.ids[0]).toEqual(['r0', 'b']);
    expect(full[0]!.newestTimeMs).toBe(EVENTS_PER_PART - 1);
    expect(rest.map((p) => [p.classUid, p.part, p.lines.length])).toEqual([[3001, 2, 5]]);
  });

  it('holds at most EVENTS_PER_PART events over all classes: the largest open part goes first, the lowest class on a tie', () => {
    // Four classes in turn: without the shared bound each would hold 9 of 10 before any part is complete.
    const classes = Array.from({ length: 40 }, (_, n) => [3001, 3002, 3004, 6003][n % 4]!);
    const { full, rest, mostHeld } = cut(classes, 10);
    expect(mostHeld).toBe(10);
    // At 10 held: 3 + 3 + 2 + 2, so 3001 (largest, and lower than 3002); then 3002 with 3 of 8 held; and so on.
    expect(full.slice(0, 2).map((p) => [p.classUid, p.part, p.lines.length])).toEqual([[3001, 0, 3], [3002, 0, 3]]);
    // Every event once, each class's in the order they came.
    const all = [...full, ...rest];
    for (const c of [3001, 3002, 3004, 6003]) {
      expect(all.filter((p) => p.classUid === c).flatMap((p) => p.ids.map(([id]) => id))).toEqual(classes.flatMap((k, n) => (k === c ? [`r${n}`] : [])));
      expect(all.filter((p) => p.classUid === c).map((p) => p.part)).toEqual(all.filter((p) => p.classUid === c).map((_, i) => i));
    }
    expect(all.every((p) => p.lines.length <= 10)).toBe(true);
    // Control: the same events in the same order give the same parts.
    expect(cut(classes, 10)).toEqual({ full, rest, mostHeld });
  });

  it('gives the rest in class order, whatever order the classes came in', () => {
    const cutter = new PartCutter();
    cutter.add(ev(6003, 1));
    cutter.add(ev(3001, 2));
    cutter.add(ev(3004, 3));
    expect(cutter.rest().map((p) => p.classUid)).toEqual([3001, 3004, 6003]);
    expect(cutter.rest()).toEqual([]);
  });
});
