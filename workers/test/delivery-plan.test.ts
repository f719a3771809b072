import { batchContentKey, type EventBatch } from '@entra-ingest/sinks';
import { roundBucket } from '@entra-ingest/store';
import { InFlightAssembly, batchesToSend, idsByBucket, inFlightRecord, passBuckets, releasePlan, strayClaimsPlan, zipPart } from '../src/delivery-plan';

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

describe('strayClaimsPlan (claims an earlier attempt made and this one did not map)', () => {
  it('leaves what this attempt mapped alone, settles what every sink has, releases the rest with who has it', () => {
    const sinks = [{ sinkId: 'file', accepted: new Set(['a', 'x', 'y']) }, { sinkId: 'http', accepted: new Set(['a', 'x']) }];
    // a: mapped (settled by the pass itself); x: both sinks took it before; y: only the file sink; z: nobody.
    expect(strayClaimsPlan(['a', 'x', 'y', 'z'], new Set(['a']), sinks)).toEqual({ settle: ['x'], release: ['y', 'z'], acceptedBy: { y: ['file'] } });
  });

  it('finds nothing when the attempt mapped all it holds', () => {
    expect(strayClaimsPlan(['a', 'b'], new Set(['a', 'b', 'c']), [{ sinkId: 'f', accepted: new Set() }])).toEqual({ settle: [], release: [], acceptedBy: {} });
  });
});

describe('a batch in flight', () => {
  const batch = (ids: string[]): EventBatch => ({
    feed: 'f', source: 'directoryAudits', windowStart: '2026-01-01T00:00:00.000Z', pass: 0, classUid: 3004, className: 'entity_management',
    recordIds: ids, events: ids.map((id) => ev(id).event),
  });
  // What a retry reads back: the record written before the send, through JSON like the store.
  const readBack = (b: EventBatch) => JSON.parse(JSON.stringify(inFlightRecord(b))) as ConstructorParameters<typeof InFlightAssembly>[0];

  it('is recorded without its events when record ids name them, with them when nothing else does', () => {
    const b = batch(['a', 'b']);
    expect(readBack(b)).not.toHaveProperty('events');
    expect(readBack(b).recordIds).toEqual(['a', 'b']);
    const anonymous: EventBatch = { ...b, recordIds: undefined };
    expect(inFlightRecord(anonymous)).toHaveProperty('events', b.events);
  });

  it('is rebuilt from the events mapped again, across parts, as it was sent: same records, order and key', () => {
    const sent = batch(['c', 'a', 'b']);
    const a = new InFlightAssembly(readBack(sent));
    expect(a.holds('a') && a.holds('c') && !a.holds('x')).toBe(true);
    a.offer([ev('x'), ev('a'), ev('b')]);
    expect(a.complete).toBe(false);
    expect(a.missing()).toEqual(['c']);
    a.offer([ev('c'), ev('y')]);
    expect(a.complete).toBe(true);
    const again = a.toBatch();
    expect(again.recordIds).toEqual(['c', 'a', 'b']);
    expect(again.events).toEqual(sent.events.slice());
    expect(batchContentKey(again)).toBe(batchContentKey(sent));
    // Control: the same records in another order would be another batch.
    expect(batchContentKey({ ...sent, recordIds: ['a', 'b', 'c'] })).not.toBe(batchContentKey(sent));
  });

  it('counts a record only once this attempt mapped it, even when an older record carries its events', () => {
    const sent = batch(['a', 'b']);
    const legacy = new InFlightAssembly(JSON.parse(JSON.stringify(sent)) as ConstructorParameters<typeof InFlightAssembly>[0]);
    expect(legacy.complete).toBe(false);
    legacy.offer([{ ...ev('a'), event: '{"remapped":1}' }, ev('b')]);
    expect(legacy.complete).toBe(true);
    // The bytes sent before win over a new mapping of the same record.
    expect(legacy.toBatch().events).toEqual(sent.events);
  });

  it('short of records the retry no longer maps, goes with those it does, under a new name', () => {
    const sent = batch(['a', 'b', 'c']);
    const a = new InFlightAssembly(readBack(sent));
    a.offer([ev('a'), ev('c')]);
    expect(a.complete).toBe(false);
    const partial = a.toBatch();
    expect(partial.recordIds).toEqual(['a', 'c']);
    expect(partial.events).toEqual([ev('a').event, ev('c').event]);
    expect(batchContentKey(partial)).not.toBe(batchContentKey(sent));
  });
});

describe('passBuckets', () => {
  it('names every hour a window touches, an unaligned end included, and one bucket for an inventory round', () => {
    expect(passBuckets('2026-11-01T12:30:00.000Z', '2026-11-01T14:05:00.000Z', true)).toEqual(['20261101T12Z', '20261101T13Z', '20261101T14Z']);
    expect(passBuckets('2026-11-01T12:00:00.000Z', '2026-11-01T13:00:00.000Z', true)).toEqual(['20261101T12Z']);
    expect(passBuckets('2026-11-01T12:00:00.000Z', '2026-11-01T12:00:00.000Z', true)).toEqual([]);
    expect(passBuckets('2026-11-01T12:00:00.000Z', '2026-11-01T18:00:00.000Z', false)).toEqual([roundBucket('2026-11-01T12:00:00.000Z')]);
  });
});
