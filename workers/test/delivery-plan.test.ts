import { batchesToSend, idsByBucket, releasePlan, zipPart } from '../src/delivery-plan';

const ev = (id: string, bucket = 'b1') => ({ id, bucket, event: `{"id":"${id}"}` });

describe('delivery plan', () => {
  it('zips a part\'s event lines with its [id, bucket] pairs and refuses a mismatch', () => {
    expect(zipPart('{"a":1}\n{"b":2}', '[["a","h1"],["b","h2"]]', 'k')).toEqual([
      { id: 'a', bucket: 'h1', event: '{"a":1}' },
      { id: 'b', bucket: 'h2', event: '{"b":2}' },
    ]);
    expect(zipPart('', '[]', 'k')).toEqual([]);
    expect(() => zipPart('{"a":1}', '[]', 'part-7')).toThrow(/part part-7/);
    expect(() => zipPart('{"a":1}', '[["a"]]', 'k')).toThrow(/pair per event/);
  });

  it('groups ids by bucket, each once', () => {
    expect(idsByBucket([ev('a', 'h1'), ev('b', 'h2'), ev('a', 'h1'), ev('c', 'h1')])).toEqual(new Map([['h1', ['a', 'c']], ['h2', ['b']]]));
  });

  it('sends only what this pass owns and the sink has not accepted, in batches of at most max', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => ev(id));
    const mine = new Set(['a', 'b', 'c', 'd', 'e', 'f']); // g belongs to another window
    const accepted = new Set(['a', 'b']); // checkpointed before a crash
    expect(batchesToSend(items, mine, accepted, 3).map((b) => b.map((e) => e.id))).toEqual([['c', 'd', 'e'], ['f']]);
    expect(batchesToSend(items, mine, new Set(mine), 3)).toEqual([]);
    expect(() => batchesToSend(items, mine, accepted, 0)).toThrow(RangeError);
  });
});

describe('releasePlan (a cancelled pass)', () => {
  it('settles what every sink accepted, releases the rest with who has it, keeps what a sink has in flight', () => {
    const sinks = [
      { sinkId: 'http', accepted: new Set(['a', 'b']), pending: ['c'] },
      { sinkId: 'file', accepted: new Set(['a']), pending: [] },
    ];
    expect(releasePlan(['a', 'b', 'c', 'd'], sinks)).toEqual({ settle: ['a'], release: ['b', 'd'], acceptedBy: { b: ['http'] }, keep: ['c'] });
  });

  it('does not count a pending batch the sink then accepted as in flight', () => {
    const sinks = [{ sinkId: 'file', accepted: new Set(['a', 'b']), pending: ['a', 'b'] }, { sinkId: 'siem', accepted: new Set<string>(), pending: [] }];
    expect(releasePlan(['a', 'b'], sinks)).toEqual({ settle: [], release: ['a', 'b'], acceptedBy: { a: ['file'], b: ['file'] }, keep: [] });
  });

  it('releases everything when nothing was sent', () => {
    expect(releasePlan(['a', 'b'], [{ sinkId: 'f', accepted: new Set(), pending: [] }])).toEqual({ settle: [], release: ['a', 'b'], acceptedBy: {}, keep: [] });
  });
});
