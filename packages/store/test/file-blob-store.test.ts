import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobNotFoundError, FileBlobStore, UnsafeKeyError } from '@entra-ingest/store';

let dir: string;
let store: FileBlobStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blob-store-'));
  store = new FileBlobStore(path.join(dir, 'store'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function allFiles(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('FileBlobStore', () => {
  it('puts and gets strings and buffers', async () => {
    await store.put('a/b/c.json', '{"x":1}');
    await store.put('a/bin', Buffer.from([0, 1, 255]));
    expect((await store.get('a/b/c.json')).toString('utf8')).toBe('{"x":1}');
    expect([...(await store.get('a/bin'))]).toEqual([0, 1, 255]);
  });

  it('replaces a blob as a whole and leaves no temp file behind', async () => {
    await store.put('k', 'first version, quite long');
    await store.put('k', 'second');
    expect((await store.get('k')).toString()).toBe('second');
    expect(allFiles(store.root).map((f) => path.relative(store.root, f))).toEqual(['k']);
  });

  it('readers see either the old or the new content while writes race', async () => {
    const versions = Array.from({ length: 20 }, (_, i) => String(i).repeat(50_000));
    await store.put('race', versions[0]);
    const seen = new Set<string>();
    await Promise.all([
      ...versions.map((v) => store.put('race', v)),
      ...Array.from({ length: 40 }, async () => seen.add((await store.get('race')).toString())),
    ]);
    for (const s of seen) expect(versions).toContain(s);
    expect(allFiles(store.root)).toHaveLength(1);
  });

  it('throws BlobNotFoundError for a missing key and for a folder', async () => {
    await store.put('folder/x', '1');
    await expect(store.get('missing')).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.get('folder')).rejects.toThrow(/no blob under key "folder"/);
    await expect(store.get('folder/x/deeper')).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it('tells whether a blob exists', async () => {
    await store.put('x/y', '1');
    expect(await store.exists('x/y')).toBe(true);
    expect(await store.exists('x')).toBe(false);
    expect(await store.exists('x/z')).toBe(false);
  });

  it('lists keys under a folder prefix, sorted, at any depth, ignoring foreign and temp files', async () => {
    for (const k of ['w/b/2', 'w/a', 'w/b/1/z', 'wx/other', 'w2/no']) await store.put(k, k);
    fs.writeFileSync(path.join(store.root, 'w', 'a~tmp~123-abc'), 'half written');
    fs.writeFileSync(path.join(store.root, 'w', '.DS_Store'), 'junk');
    expect(await store.list('w')).toEqual(['w/a', 'w/b/1/z', 'w/b/2']);
    expect(await store.list('w/')).toEqual(['w/a', 'w/b/1/z', 'w/b/2']);
    expect(await store.list('w/b')).toEqual(['w/b/1/z', 'w/b/2']);
    expect(await store.list('nothing/here')).toEqual([]);
    expect(await store.list('w/a')).toEqual([]); // a blob is not a folder
    expect(await store.list('')).toEqual(['w/a', 'w/b/1/z', 'w/b/2', 'w2/no', 'wx/other']);
  });

  it('deletes a folder prefix and counts what it removed, without touching siblings', async () => {
    for (const k of ['w/p0/pages/0', 'w/p0/pages/1', 'w/p0/ids', 'w/p00/pages/0']) await store.put(k, k);
    expect(await store.deletePrefix('w/p0/pages')).toBe(2);
    expect(await store.list('w')).toEqual(['w/p0/ids', 'w/p00/pages/0']);
    expect(await store.deletePrefix('w/p0/pages')).toBe(0);
    await expect(store.deletePrefix('')).rejects.toThrow(/non-empty prefix/);
  });

  it('deletes one blob, not the blobs whose keys start with its key; a missing one is no error', async () => {
    for (const k of ['d/r1', 'd/r10', 'd/r1x/y']) await store.put(k, k);
    await store.delete('d/r1');
    expect(await store.list('d')).toEqual(['d/r10', 'd/r1x/y']);
    await store.delete('d/r1');
    await expect(store.delete('../x')).rejects.toBeInstanceOf(UnsafeKeyError);
  });

  it.each(['../x', 'a/../../b', '/etc/passwd', 'a\\b', 'a\u0000b', '\u2025/x', 'x'.repeat(2000)])(
    'refuses hostile key %j in every operation and writes nothing outside the root',
    async (key) => {
      await expect(store.put(key, 'pwned')).rejects.toBeInstanceOf(UnsafeKeyError);
      await expect(store.get(key)).rejects.toBeInstanceOf(UnsafeKeyError);
      await expect(store.exists(key)).rejects.toBeInstanceOf(UnsafeKeyError);
      await expect(store.list(key)).rejects.toBeInstanceOf(UnsafeKeyError);
      await expect(store.deletePrefix(key)).rejects.toBeInstanceOf(UnsafeKeyError);
      expect(allFiles(dir)).toEqual([]);
    },
  );
});
