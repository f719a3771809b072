import { EVENTS_PER_PART, PartCutter, type MappedEvent } from '../src/record-mapper';

const ev = (classUid: number, n: number): MappedEvent => ({ classUid, line: `{"n":${n}}`, timeMs: n, id: `r${n}`, bucket: 'b' });

describe('PartCutter', () => {
  it('completes a part at EVENTS_PER_PART events of one class and numbers the parts of each class', () => {
    const cutter = new PartCutter();
    const full = [];
    for (let n = 0; n < EVENTS_PER_PART * 2 + 5; n++) {
      const p = cutter.add(ev(n % 2 === 0 ? 3001 : 3002, n));
      if (p) full.push(p);
    }
    expect(full.map((p) => [p.classUid, p.part, p.lines.length])).toEqual([[3001, 0, EVENTS_PER_PART], [3002, 0, EVENTS_PER_PART]]);
    expect(full[0]!.ids[0]).toEqual(['r0', 'b']);
    expect(full[0]!.newestTimeMs).toBe((EVENTS_PER_PART - 1) * 2);
    const rest = cutter.rest();
    expect(rest.map((p) => [p.classUid, p.part, p.lines.length])).toEqual([[3001, 1, 3], [3002, 1, 2]]);
    expect(cutter.rest()).toEqual([]);
  });

  it('gives the rest in class order, whatever order the classes came in', () => {
    const cutter = new PartCutter();
    cutter.add(ev(6003, 1));
    cutter.add(ev(3001, 2));
    cutter.add(ev(3004, 3));
    expect(cutter.rest().map((p) => p.classUid)).toEqual([3001, 3004, 6003]);
  });
});
