import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeliveryManifest, FileBlobStore, windowPrefix, type WindowRef } from '@entra-ingest/store';

let dir: string;
let store: FileBlobStore;
const window: WindowRef = { feed: 'contoso', source: 'signIns', windowStart: '2026-11-01T12:00:00.000Z', windowEnd: '2026-11-01T12:05:00.000Z' };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-'));
  store = new FileBlobStore(dir);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('windowPrefix', () => {
  it('names the window by feed, source and compact start time', () => {
    expect(windowPrefix(window)).toBe('windows/contoso/signIns/20261101T120000Z');
  });

  it('keeps hostile feed names inside one segment', () => {
    const prefix = windowPrefix({ ...window, feed: '../../etc' });
    expect(prefix.split('/')).toHaveLength(4);
    expect(prefix).not.toContain('..');
  });
});

describe('DeliveryManifest', () => {
  it('starts empty', async () => {
    const m = new DeliveryManifest(store, window);
    expect(await m.deliveredIds()).toEqual(new Set());
    expect(await m.passes()).toEqual([]);
  });

  it('returns the union of all passes and lists them in numeric order', async () => {
    const m = new DeliveryManifest(store, window);
    await m.recordPass(0, ['a', 'b']);
    await m.recordPass(10, ['e']);
    await m.recordPass(2, ['c', 'd']);
    await m.recordPass(1, []);
    expect(await new DeliveryManifest(store, window).deliveredIds()).toEqual(new Set(['a', 'b', 'c', 'd', 'e']));
    expect(await m.passes()).toEqual([0, 1, 2, 10]);
  });

  it('keeps windows apart', async () => {
    await new DeliveryManifest(store, window).recordPass(0, ['a']);
    const other = new DeliveryManifest(store, { ...window, windowStart: '2026-11-01T12:05:00.000Z' });
    expect(await other.deliveredIds()).toEqual(new Set());
  });

  it('is idempotent: recording a pass again does not rewrite it', async () => {
    const m = new DeliveryManifest(store, window);
    await m.recordPass(0, ['a', 'b']);
    const [key] = await store.list(windowPrefix(window));
    const file = path.join(dir, ...key.split('/'));
    const before = fs.statSync(file).ino;
    await m.recordPass(0, ['b', 'a']);
    expect(fs.statSync(file).ino).toBe(before);
    expect(await m.deliveredIds()).toEqual(new Set(['a', 'b']));
    expect(await store.list(windowPrefix(window))).toHaveLength(1);
  });

  it('keeps the union when the same pass is recorded with more ids', async () => {
    const m = new DeliveryManifest(store, window);
    await m.recordPass(3, ['a']);
    await m.recordPass(3, ['b']);
    expect(await m.deliveredIds()).toEqual(new Set(['a', 'b']));
  });

  it('loses nothing when the same pass is recorded concurrently', async () => {
    const sets = Array.from({ length: 25 }, (_, i) => [`id-${i}`, `id-${i + 1}`, 'shared']);
    // Separate instances on the same store: the way concurrent activity attempts would use it.
    await Promise.all(sets.map((ids) => new DeliveryManifest(store, window).recordPass(1, ids)));
    const expected = new Set(sets.flat());
    expect(await new DeliveryManifest(store, window).deliveredIds()).toEqual(expected);
    expect(await new DeliveryManifest(store, window).passes()).toEqual([1]);
  });

  it('refuses ids that would corrupt the newline-joined format, and bad pass numbers', async () => {
    const m = new DeliveryManifest(store, window);
    await expect(m.recordPass(0, ['ok', 'two\nlines'])).rejects.toThrow(/record id at index 1/);
    await expect(m.recordPass(0, [''])).rejects.toThrow(/index 0/);
    await expect(m.recordPass(-1, ['a'])).rejects.toThrow(/non-negative integer/);
    await expect(m.recordPass(1.5, ['a'])).rejects.toThrow(/non-negative integer/);
    expect(await m.passes()).toEqual([]);
  });

  it('round-trips 100k ids across passes', async () => {
    // Load speed is a benchmark's business, not a timed test's: this checks the ids survive, all of them.
    const ids = Array.from({ length: 100_000 }, (_, i) => `${i.toString(16).padStart(8, '0')}-1111-2222-3333-444455556666`);
    const m = new DeliveryManifest(store, window);
    await m.recordPass(0, ids.slice(0, 60_000));
    await m.recordPass(1, ids.slice(60_000));
    const loaded = await new DeliveryManifest(store, window).deliveredIds();
    expect(loaded.size).toBe(100_000);
    for (const id of [ids[0], ids[59_999], ids[60_000], ids[99_999]]) expect(loaded.has(id)).toBe(true);
  });
});
