import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileBlobStore } from '@entra-ingest/store';
import { DeadLetterWriter, deadLetterCause, deadLetterKey, deadLetterPrefix, readDeadLetters, type DeadLetter } from '@entra-ingest/sinks';

let root: string;
let store: FileBlobStore;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dead-letter-'));
  store = new FileBlobStore(root);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const letter = (extra: Partial<DeadLetter> = {}): DeadLetter => ({
  reason: 'record has no usable time',
  feed: 'contoso',
  source: 'signIns',
  windowStart: '2026-11-01T12:00:00.000Z',
  recordId: 'rec-1',
  payload: { id: 'rec-1', createdDateTime: null },
  ...extra,
});

const at = (iso: string) => (): Date => new Date(iso);

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('dead letters in the blob store', () => {
  it('keeps one letter per record and cause under dead-letters/<feed>/<source>/<cause>/<record>, with when it was written', async () => {
    const out = await new DeadLetterWriter(store, at('2026-11-02T08:09:10.000Z')).write([letter(), letter({ recordId: 'rec-2', reason: 'cannot map: no class for this activity' })]);
    expect(out).toMatchObject({ written: 2, existing: 0 });
    expect(await store.list('dead-letters')).toEqual([
      'dead-letters/contoso/signIns/cannot=20map/rec-2',
      'dead-letters/contoso/signIns/record=20has=20no=20usable=20time/rec-1',
    ]);
    const letters = await readDeadLetters(store, deadLetterPrefix('contoso'));
    expect(letters.map(({ key, ...l }) => l)).toEqual([
      { writtenAt: '2026-11-02T08:09:10.000Z', ...letter({ recordId: 'rec-2', reason: 'cannot map: no class for this activity' }) },
      { writtenAt: '2026-11-02T08:09:10.000Z', ...letter() },
    ]);
  });

  it('meeting the same record again (another sweep, window or retry) finds its letter instead of adding one', async () => {
    await new DeadLetterWriter(store, at('2026-11-02T08:00:00.000Z')).write([letter()]);
    const again = await new DeadLetterWriter(store, at('2026-11-02T09:00:00.000Z')).write([letter({ windowStart: '2026-11-01T12:05:00.000Z' }), letter()]);
    expect(again).toMatchObject({ written: 0, existing: 1 });
    const letters = await readDeadLetters(store);
    expect(letters).toHaveLength(1);
    expect(letters[0]!.writtenAt).toBe('2026-11-02T08:00:00.000Z'); // the first one stays
    // Control: the same record with another cause, and another record with the same cause, are letters of their own.
    const other = await new DeadLetterWriter(store).write([letter({ reason: 'sink siem rejected the event: HTTP 400: bad' }), letter({ recordId: 'rec-9' })]);
    expect(other).toMatchObject({ written: 2, existing: 0 });
    expect(await readDeadLetters(store)).toHaveLength(3);
  });

  it('a sink rejection is keyed by the sink, not by the receiver\'s wording of the answer', async () => {
    await new DeadLetterWriter(store).write([letter({ reason: 'sink siem rejected the event: HTTP 400: request 1 bad' })]);
    const again = await new DeadLetterWriter(store).write([letter({ reason: 'sink siem rejected the event: HTTP 400: request 2 bad' })]);
    expect(again).toMatchObject({ written: 0, existing: 1 });
    const other = await new DeadLetterWriter(store).write([letter({ reason: 'sink lake rejected the event: HTTP 400: bad' })]);
    expect(other).toMatchObject({ written: 1 });
  });

  it('writers racing over the same letters (workers on other hosts) leave exactly one each', async () => {
    const letters = Array.from({ length: 20 }, (_, i) => letter({ recordId: `rec-${i}` }));
    const results = await Promise.all(Array.from({ length: 6 }, () => new DeadLetterWriter(store).write(letters)));
    expect(results.reduce((n, r) => n + r.written, 0)).toBe(20);
    expect(await readDeadLetters(store)).toHaveLength(20);
  });

  it('names a record without a usable id by its content: the same record once, another record again', async () => {
    const noId = (payload: unknown): DeadLetter => letter({ recordId: undefined, index: 3, reason: 'record has no usable id', payload });
    await new DeadLetterWriter(store).write([noId({ displayName: 'x' }), noId({ displayName: 'x' })]);
    await new DeadLetterWriter(store).write([{ ...noId({ displayName: 'x' }), index: 8 }]);
    expect(await readDeadLetters(store)).toHaveLength(1);
    await new DeadLetterWriter(store).write([noId({ displayName: 'y' })]);
    expect(await readDeadLetters(store)).toHaveLength(2);
    expect(deadLetterKey(noId({ displayName: 'x' }))).toMatch(/^dead-letters\/contoso\/signIns\/record=20has=20no=20usable=20id\/=content-[0-9a-f]{40}$/);
  });

  it.each(['../../etc', '/tmp/x', 'a/b', '..'])('keeps a hostile feed name %j inside the store', async (feed) => {
    await new DeadLetterWriter(store).write([letter({ feed, recordId: '../../../outside\n\r' })]);
    const files = filesUnder(root);
    expect(files).toHaveLength(1);
    expect(path.relative(root, files[0]!).split(path.sep)[0]).toBe('dead-letters');
    expect((await readDeadLetters(store, deadLetterPrefix(feed)))[0]).toMatchObject({ feed, recordId: '../../../outside\n\r' });
  });

  it('keeps the letter when its payload cannot be serialised', async () => {
    const cyclic: Record<string, unknown> = { id: 'x' };
    cyclic.self = cyclic;
    await new DeadLetterWriter(store).write([letter({ payload: cyclic })]);
    const [stored] = await readDeadLetters(store);
    expect(stored).toMatchObject({ reason: 'record has no usable time', payload: expect.stringMatching(/unserializable payload/) });
  });

  it('the cause is the reason up to its first ": "', () => {
    expect(deadLetterCause('record has no usable id')).toBe('record has no usable id');
    expect(deadLetterCause('record id cannot be used: it holds a line break')).toBe('record id cannot be used');
    expect(deadLetterCause('sink siem rejected the event: HTTP 400: {"a": 1}')).toBe('sink siem rejected the event');
    expect(deadLetterCause('invalid OCSF event: /time: must be integer')).toBe('invalid OCSF event');
  });
});
