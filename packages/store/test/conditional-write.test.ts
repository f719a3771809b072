import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FileBlobStore, STALE_LOCK_MS, contentVersion } from '@entra-ingest/store';

const run = promisify(execFile);
const INCREMENTER = path.join(__dirname, 'fixtures/cas-incrementer.js');

let dir: string;
let store: FileBlobStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cas-'));
  store = new FileBlobStore(path.join(dir, 'store'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('FileBlobStore conditional writes', () => {
  it('creates only when absent, and returns the content hash as the version', async () => {
    const v1 = await store.putIfVersion('idx/a', 'one', null);
    expect(v1).toBe(contentVersion(Buffer.from('one')));
    expect(await store.putIfVersion('idx/a', 'two', null)).toBeUndefined();
    expect((await store.get('idx/a')).toString()).toBe('one');
    expect(await store.getVersioned('idx/a')).toEqual({ data: Buffer.from('one'), version: v1 });
    expect(await store.getVersioned('idx/none')).toBeUndefined();
  });

  it('replaces only the version it was given', async () => {
    const v1 = (await store.putIfVersion('k', 'one', null))!;
    const v2 = await store.putIfVersion('k', 'two', v1);
    expect(v2).toBeDefined();
    expect(await store.putIfVersion('k', 'three', v1)).toBeUndefined(); // stale version
    expect(await store.putIfVersion('absent', 'x', v1)).toBeUndefined(); // expected a blob, found none
    expect((await store.get('k')).toString()).toBe('two');
  });

  it('leaves no lock or temp file in the folder or in listings', async () => {
    await store.putIfVersion('f/k', 'one', null);
    expect(fs.readdirSync(path.join(store.root, 'f'))).toEqual(['k']);
    expect(await store.list('f')).toEqual(['f/k']);
  });

  it('loses no update when many writers in this process race on one key', async () => {
    const increment = async () => {
      for (;;) {
        const cur = await store.getVersioned('n');
        if (await store.putIfVersion('n', String(Number(cur?.data.toString() ?? '0') + 1), cur?.version ?? null)) return;
      }
    };
    await Promise.all(Array.from({ length: 30 }, increment));
    expect((await store.get('n')).toString()).toBe('30');
  });

  it('loses no update when writers in several processes race on one key', async () => {
    if (!fs.existsSync(path.join(__dirname, '../dist/index.js'))) throw new Error('build the store first: pnpm exec tsc -b packages/store');
    const processes = 4;
    const times = 25;
    const results = await Promise.all(
      Array.from({ length: processes }, () => run(process.execPath, [INCREMENTER, store.root, 'shared/counter', String(times)])),
    );
    expect((await store.get('shared/counter')).toString()).toBe(String(processes * times));
    // Control: the race was real, some swaps were refused and retried (else this test proves nothing).
    const refused = results.reduce((sum, r) => sum + Number(r.stdout), 0);
    expect(refused).toBeGreaterThan(0);
  }, 60_000);

  it('breaks a lock left by a dead process once it is stale, not before', async () => {
    await store.put('k', 'one');
    const lockFile = path.join(store.root, 'k~lock');
    fs.writeFileSync(lockFile, 'dead-process');
    const fresh = store.putIfVersion('k', 'two', contentVersion(Buffer.from('one')));
    const pending = await Promise.race([fresh.then(() => 'done'), new Promise((r) => setTimeout(() => r('waiting'), 300))]);
    expect(pending).toBe('waiting');
    const old = new Date(Date.now() - STALE_LOCK_MS - 1000);
    fs.utimesSync(lockFile, old, old);
    expect(await fresh).toBe(contentVersion(Buffer.from('two')));
    expect(fs.existsSync(lockFile)).toBe(false);
  });
});
