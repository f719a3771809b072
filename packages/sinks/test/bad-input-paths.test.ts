import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileSinkSchema } from '@entra-ingest/config';
import { FileBlobStore, RecordIndex } from '@entra-ingest/store';
import { DeadLetterWriter, createSink } from '@entra-ingest/sinks';
import { makeBatch } from './helpers/events';

// The bad-input corpus, path part: a feed, source or class name with path characters reaches every writer the
// worker has (file sink, dead letters, claim-check store and manifest). The config refuses such feed ids up front
// (packages/config/test/bad-input-config.test.ts); this is the second line: whatever the name, every file lands
// inside its own root and the data folder's parent is untouched.

let base: string;
let dataDir: string;

beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-paths-'));
  dataDir = path.join(base, 'data');
  fs.mkdirSync(dataDir);
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

function files(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

const HOSTILE = ['../../escaped', '/etc/cron.d/x', 'a/../../b', '..\\..\\win', '.', '..', '~root', 'nul\u0000byte', `${'../'.repeat(8)}tmp/x`];

it.each(HOSTILE)('feed %j: file sink, dead letters, store and record index all stay inside the data folder', async (name) => {
  const sink = createSink(FileSinkSchema.parse({ type: 'file', id: 'file' }), { dataDir, resolveSecret: () => '' });
  await sink.deliver(makeBatch({ feed: name, source: name, className: name }));
  const store = new FileBlobStore(path.join(dataDir, 'store'));
  const letters = await new DeadLetterWriter(store).write([{ reason: 'test', feed: name, source: name, recordId: name, windowStart: '2026-11-01T00:00:00Z', payload: { id: name } }]);
  const index = new RecordIndex(store, name, name);
  await index.claim(name, name, ['r1', 'r2']);
  await index.settle(name, name, ['r1', 'r2']);
  expect((await index.read(name)).delivered.sort()).toEqual(['r1', 'r2']);

  expect(letters.written).toBe(1);
  expect(fs.readdirSync(path.join(dataDir, 'store', 'dead-letters'))).toHaveLength(1);
  const written = files(base);
  expect(written.length).toBeGreaterThanOrEqual(3);
  for (const f of written) expect(path.relative(dataDir, f)).toMatch(/^(ocsf|store)\//);
  expect(fs.readdirSync(base)).toEqual(['data']);
  // The names are encoded, not dropped: two different hostile names never share a file.
  expect(written.some((f) => f.includes('escaped') || f.includes('=2E') || f.includes('=2F') || f.includes('='))).toBe(true);
});

it('names so long the file name cannot be made → a non-retryable SinkError saying so, nothing written', async () => {
  const name = `${'../'.repeat(40)}tmp/x`;
  const sink = createSink(FileSinkSchema.parse({ type: 'file', id: 'file' }), { dataDir, resolveSecret: () => '' });
  await expect(sink.deliver(makeBatch({ feed: name, source: name }))).rejects.toMatchObject({ name: 'SinkError', retryable: false, message: expect.stringMatching(/longer than the filesystem allows/) });
  expect(files(base).filter((f) => f.endsWith('.ndjson'))).toEqual([]);
  expect(fs.readdirSync(base)).toEqual(['data']);
});

it('a sink root given as an absolute path elsewhere is the operator\'s choice; batch names still cannot climb out of it', async () => {
  const root = path.join(base, 'elsewhere');
  const sink = createSink(FileSinkSchema.parse({ type: 'file', id: 'file', root }), { dataDir, resolveSecret: () => '' });
  await sink.deliver(makeBatch({ feed: '../../../x', className: '../..' }));
  for (const f of files(base)) expect(path.relative(root, f)).not.toMatch(/^\.\./);
});
