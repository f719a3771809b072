import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  FileBlobStore, MAX_RECORD_ID_LENGTH, RecordIndex, bucketKey, claim, emptyBucket, hourBucket, parseBucket, recordIdProblem, release, roundBucket, settle,
  legacyDeliveredIds, windowPrefix,
} from '@entra-ingest/store';

const run = promisify(execFile);

describe('buckets and keys', () => {
  it('puts every record of one UTC hour in one bucket, whatever window read it', () => {
    expect(hourBucket(Date.parse('2026-11-01T12:00:00Z'))).toBe('20261101T12Z');
    expect(hourBucket(Date.parse('2026-11-01T12:59:59.999Z'))).toBe('20261101T12Z');
    expect(hourBucket(Date.parse('2026-11-01T13:00:00Z'))).toBe('20261101T13Z');
    expect(() => hourBucket(Number.NaN)).toThrow(RangeError);
    // Back to an earlier hour after a later one (the last hour is remembered), and before 1970.
    expect(hourBucket(Date.parse('2026-11-01T12:30:00Z'))).toBe('20261101T12Z');
    expect(hourBucket(-1)).toBe('19691231T23Z');
    expect(hourBucket(0)).toBe('19700101T00Z');
    expect(roundBucket('2026-11-01T12:00:00Z')).toBe('round-20261101T120000Z');
  });

  it('keys a bucket by encoded feed and source', () => {
    expect(bucketKey('demo', 'directoryAudits', '20261101T12Z')).toBe('records/demo/directoryAudits/20261101T12Z.json');
    expect(bucketKey('../x', 's', 'b')).not.toContain('..');
  });

  it('names window folders by start and end, so windows of two sizes never share one', () => {
    const w = { feed: 'demo', source: 'directoryAudits', windowStart: '2026-11-01T12:00:00Z' };
    expect(windowPrefix({ ...w, windowEnd: '2026-11-01T12:01:00Z' })).toBe('windows/demo/directoryAudits/20261101T120000Z-20261101T120100Z');
    expect(windowPrefix({ ...w, windowEnd: '2026-11-01T12:10:00Z' })).not.toBe(windowPrefix({ ...w, windowEnd: '2026-11-01T12:01:00Z' }));
  });
});

describe('recordIdProblem', () => {
  it.each([
    ['a-guid', undefined],
    ['Directory_8f1c…ünïcode', undefined],
    ['x'.repeat(MAX_RECORD_ID_LENGTH), undefined],
  ])('accepts %j', (id, expected) => expect(recordIdProblem(id)).toBe(expected));

  it.each([
    ['', /empty/],
    ['two\nlines', /U\+000A at 3/],
    ['cr\r', /U\+000D/],
    ['tab\there', /U\+0009/],
    ['nul\u0000', /U\+0000/],
    ['del\u007f', /U\+007F/],
    ['sep\u2028', /U\+2028/],
    ['lone\ud800', /U\+D800/],
    ['x'.repeat(MAX_RECORD_ID_LENGTH + 1), /characters long/],
    [42, /number/],
    [null, /null/],
  ])('refuses %j', (id, problem) => expect(recordIdProblem(id)).toMatch(problem));
});

describe('claim and settle (pure rules)', () => {
  it('claims what nobody delivered or claimed, skips the rest, and keeps a claimant its own earlier claims', () => {
    const start = { delivered: ['d'], claims: { other: ['o'] } };
    const first = claim(start, 'me', ['a', 'b', 'd', 'o', 'a']);
    expect(first.mine).toEqual(['a', 'b']);
    expect(first.taken.sort()).toEqual(['d', 'o']);
    expect(first.next.claims).toEqual({ other: ['o'], me: ['a', 'b'] });
    const again = claim(first.next, 'me', ['a', 'b', 'c']);
    expect(again.mine).toEqual(['a', 'b', 'c']);
    expect(again.changed).toBe(true);
    expect(claim(again.next, 'me', ['a']).changed).toBe(false);
    expect(start).toEqual({ delivered: ['d'], claims: { other: ['o'] } }); // inputs are not mutated
  });

  it('settles delivered ids out of the claim into delivered; an empty claim disappears; settling twice changes nothing', () => {
    const claimed = claim(emptyBucket(), 'me', ['a', 'b']).next;
    const half = settle(claimed, 'me', ['a']);
    expect(half.next).toEqual({ delivered: ['a'], claims: { me: ['b'] } });
    const all = settle(half.next, 'me', ['b', 'a']);
    expect(all.next).toEqual({ delivered: ['a', 'b'], claims: {} });
    expect(settle(all.next, 'me', ['a', 'b']).changed).toBe(false);
    // Once delivered, nobody can claim the ids again.
    expect(claim(all.next, 'later', ['a', 'b', 'z']).mine).toEqual(['z']);
  });

  it('refuses a bucket blob of the wrong shape with where it is', () => {
    expect(() => parseBucket('{"delivered":"a"}', 'records/x')).toThrow(/records\/x does not have the shape/);
    expect(() => parseBucket('nope', 'records/x')).toThrow(/records\/x is not JSON/);
    expect(parseBucket('{"delivered":["a"],"claims":{"w":["b"]}}', 'k')).toEqual({ delivered: ['a'], claims: { w: ['b'] } });
  });
});

describe('RecordIndex in a file store', () => {
  let dir: string;
  let store: FileBlobStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'record-index-'));
    store = new FileBlobStore(path.join(dir, 'store'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stores ids as JSON, so any printable id round-trips', async () => {
    const index = new RecordIndex(store, 'demo', 'directoryAudits');
    const ids = ['plain', 'with space', 'quote"and\\slash', 'ünï'];
    await index.claim('20261101T12Z', 'w1', ids);
    await index.settle('20261101T12Z', 'w1', ids);
    expect(JSON.parse((await store.get(bucketKey('demo', 'directoryAudits', '20261101T12Z'))).toString())).toEqual({ delivered: ids, claims: {} });
    expect(await index.unavailable('20261101T12Z', 'w2')).toEqual(new Set(ids));
  });

  it('gives each record to exactly one of many concurrent claimants in this process', async () => {
    const index = new RecordIndex(store, 'demo', 'directoryAudits');
    const ids = Array.from({ length: 40 }, (_, i) => `r${i}`);
    // Overlapping windows: claimant k asks for ids k..k+19.
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, k) => index.claim('b', `w${k}`, ids.slice(k, k + 20))));
    const owners = new Map<string, number>();
    for (const o of outcomes) for (const id of o.mine) owners.set(id, (owners.get(id) ?? 0) + 1);
    expect([...owners.values()].every((n) => n === 1)).toBe(true);
    expect(owners.size).toBe(39);
  });

  it('gives each record to exactly one claimant across processes', async () => {
    if (!fs.existsSync(path.join(__dirname, '../dist/index.js'))) throw new Error('build the store first: pnpm exec tsc -b packages/store');
    const script = `
      const { FileBlobStore, RecordIndex } = require(${JSON.stringify(path.join(__dirname, '../dist'))});
      const [root, who, offset] = process.argv.slice(1);
      const store = new FileBlobStore(root);
      // Counts compare-and-swaps lost to another process: the proof that the claims really raced.
      let lost = 0;
      const put = store.putIfVersion.bind(store);
      store.putIfVersion = async (...args) => { const v = await put(...args); if (v === undefined) lost++; return v; };
      const index = new RecordIndex(store, 'demo', 'directoryAudits');
      const ids = Array.from({ length: 60 }, (_, i) => 'r' + i);
      const fs = require('node:fs');
      const path = require('node:path');
      (async () => {
        // Start together: each process waits until all four are ready, so the claims really race.
        const barrier = path.join(root, '..', 'ready');
        fs.mkdirSync(barrier, { recursive: true });
        fs.writeFileSync(path.join(barrier, who), '');
        while (fs.readdirSync(barrier).length < 4) await new Promise((r) => setTimeout(r, 5));
        const mine = [];
        // Each process starts at its own offset and wraps around, so their claims overlap.
        for (let k = 0; k < ids.length; k += 5) {
          const i = (k + Number(offset)) % ids.length;
          mine.push(...(await index.claim('b', who, ids.slice(i, i + 5))).mine);
        }
        process.stdout.write(JSON.stringify({ mine, lost }));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const results = await Promise.all(['p1', 'p2', 'p3', 'p4'].map((who, p) => run(process.execPath, ['-e', script, store.root, who, String(p * 15)])));
    const outputs = results.map((r) => JSON.parse(r.stdout) as { mine: string[]; lost: number });
    expect(outputs.flatMap((o) => o.mine).sort()).toEqual(Array.from({ length: 60 }, (_, i) => `r${i}`).sort());
    // Control: some compare-and-swap lost to another process (the claims raced; a serial run would lose none).
    expect(outputs.reduce((n, o) => n + o.lost, 0)).toBeGreaterThan(0);
  }, 60_000);
});

describe('release (pure rule)', () => {
  it('drops ids from the claimant\'s claim only, so another window can claim them', () => {
    const claimed = claim(claim(emptyBucket(), 'cancelled', ['a', 'b']).next, 'other', ['c']).next;
    const out = release(claimed, 'cancelled', ['a', 'c']);
    expect(out.next.claims).toEqual({ cancelled: ['b'], other: ['c'] });
    expect(claim(out.next, 'later', ['a', 'b', 'c']).mine).toEqual(['a']);
    expect(release(release(out.next, 'cancelled', ['b']).next, 'cancelled', ['b']).changed).toBe(false);
  });

  it('remembers which sinks have a released record, tells the next claimant, and forgets once it is delivered', () => {
    const claimed = claim(emptyBucket(), 'cancelled', ['a', 'b']).next;
    const released = release(claimed, 'cancelled', ['a', 'b'], { a: ['file'] }).next;
    expect(released).toEqual({ delivered: [], claims: {}, partial: { a: ['file'] } });
    const next = claim(released, 'later', ['a', 'b']);
    expect(next.mine).toEqual(['a', 'b']);
    expect(next.alreadyAt).toEqual({ a: ['file'] });
    expect(settle(next.next, 'later', ['a', 'b']).next).toEqual({ delivered: ['a', 'b'], claims: {} });
    expect(parseBucket(JSON.stringify(released), 'k')).toEqual(released);
  });
});

describe('legacyDeliveredIds (upgrade from per-window manifests)', () => {
  let dir: string;
  let store: FileBlobStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'legacy-'));
    store = new FileBlobStore(path.join(dir, 'store'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the ids every pass of the same window start recorded under the old layout, and nothing of other windows', async () => {
    const w = { feed: 'demo', source: 'directoryAudits', windowStart: '2026-11-01T12:00:00Z', windowEnd: '2026-11-01T12:05:00Z' };
    await store.put('windows/demo/directoryAudits/20261101T120000Z/manifest/p0.ids', 'a\nb');
    await store.put('windows/demo/directoryAudits/20261101T120000Z/manifest/p1.ids', 'c');
    await store.put('windows/demo/directoryAudits/20261101T120500Z/manifest/p0.ids', 'other');
    expect(await legacyDeliveredIds(store, w)).toEqual(new Set(['a', 'b', 'c']));
    expect(await legacyDeliveredIds(store, { ...w, windowStart: '2026-11-01T13:00:00Z' })).toEqual(new Set());
  });
});
