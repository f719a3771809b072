import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileSinkSchema } from '@entra-ingest/config';
import { DeadLetterWriter, createSink } from '@entra-ingest/sinks';
import { FileBlobStore } from '@entra-ingest/store';
import { makeBatch } from '../../sinks/test/helpers/events';

// Everything the worker writes holds tenant activity: files 0600, folders 0700, whatever the umask allows more of.
let dir: string;
let umask: number;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'file-modes-'));
  umask = process.umask(0o022); // the common default, which would leave files world-readable
});
afterEach(() => {
  process.umask(umask);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every file and folder below root (root excluded) with a mode looser than allowed. */
function tooOpen(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .map((e) => path.join(e.parentPath, e.name))
    .filter((p) => (fs.statSync(p).mode & 0o077) !== 0)
    .map((p) => `${path.relative(root, p)} ${(fs.statSync(p).mode & 0o777).toString(8)}`);
}

test('control: the check finds a world-readable file', () => {
  fs.writeFileSync(path.join(dir, 'open.json'), '{}', { mode: 0o644 });
  expect(tooOpen(dir)).toEqual(['open.json 644']);
});

test('claim checks, OCSF files and dead letters are 0600 in 0700 folders', async () => {
  const store = new FileBlobStore(path.join(dir, 'store'));
  await store.put('contoso/pages/w1/p0.json', '{"value":[]}');
  await createSink(FileSinkSchema.parse({ type: 'file', root: path.join(dir, 'ocsf') }), { dataDir: dir, resolveSecret: () => '' }).deliver(makeBatch());
  await new DeadLetterWriter(store).write([{ reason: 'no id', feed: 'contoso', source: 'signIns', windowStart: '2026-11-01T12:00:00.000Z', payload: {} }]);
  expect(fs.readdirSync(dir).sort()).toEqual(['ocsf', 'store']);
  expect(fs.readdirSync(path.join(dir, 'store')).sort()).toEqual(['contoso', 'dead-letters']);
  expect(tooOpen(dir)).toEqual([]);
  expect(fs.statSync(path.join(dir, 'store')).mode & 0o777).toBe(0o700);
});
