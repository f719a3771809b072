import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeadLetterWriter, type DeadLetter } from '@entra-ingest/sinks';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dead-letter-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const letter = (extra: Partial<DeadLetter> = {}): DeadLetter => ({
  reason: 'record has no usable time',
  feed: 'contoso',
  source: 'signIns',
  windowStart: '2026-11-01T12:00:00.000Z',
  recordId: 'rec-1',
  payload: { id: 'rec-1', createdDateTime: null },
  ...extra,
});

describe('DeadLetterWriter', () => {
  const fixedClock = (): Date => new Date('2026-11-02T08:09:10.000Z');

  it('writes NDJSON with reason and context under dead-letter/<feed>/<yyyy-mm-dd>/', async () => {
    const file = await new DeadLetterWriter(dataDir, fixedClock).write([letter(), letter({ recordId: undefined, index: 7, reason: 'no id' })]);
    expect(path.dirname(file)).toBe(path.join(dataDir, 'dead-letter', 'contoso', '2026-11-02'));
    expect(path.basename(file)).toMatch(/\.ndjson$/);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { writtenAt: '2026-11-02T08:09:10.000Z', ...letter() },
      { writtenAt: '2026-11-02T08:09:10.000Z', reason: 'no id', feed: 'contoso', source: 'signIns', windowStart: '2026-11-01T12:00:00.000Z', index: 7, payload: letter().payload },
    ]);
  });

  it('never overwrites: writes at the same instant land in separate files, and no temp file remains', async () => {
    const writer = new DeadLetterWriter(dataDir, fixedClock);
    const files = await Promise.all(Array.from({ length: 10 }, (_, i) => writer.write([letter({ recordId: `rec-${i}` })])));
    expect(new Set(files).size).toBe(10);
    const dir = path.dirname(files[0]);
    expect(fs.readdirSync(dir).sort()).toEqual(files.map((f) => path.basename(f)).sort());
    const ids = files.map((f) => (JSON.parse(fs.readFileSync(f, 'utf8')) as DeadLetter).recordId).sort();
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `rec-${i}`).sort());
  });

  it.each(['../../etc', '/tmp/x', 'a/b', '..'])('keeps a hostile feed name %j inside the dead-letter folder', async (feed) => {
    const file = await new DeadLetterWriter(dataDir, fixedClock).write([letter({ feed })]);
    const rel = path.relative(path.join(dataDir, 'dead-letter'), file);
    expect(rel.split(path.sep)).toHaveLength(3);
    expect(rel.startsWith('..')).toBe(false);
  });

  it('keeps the letter when its payload cannot be serialised', async () => {
    const cyclic: Record<string, unknown> = { id: 'x' };
    cyclic.self = cyclic;
    const file = await new DeadLetterWriter(dataDir).write([letter({ payload: cyclic })]);
    const line = JSON.parse(fs.readFileSync(file, 'utf8')) as { reason: string; payload: string };
    expect(line.reason).toBe('record has no usable time');
    expect(line.payload).toMatch(/unserializable payload/);
  });

  it('refuses an empty write and a write mixing feeds', async () => {
    const writer = new DeadLetterWriter(dataDir);
    await expect(writer.write([])).rejects.toThrow(/nothing to write/);
    await expect(writer.write([letter(), letter({ feed: 'fabrikam' })])).rejects.toThrow(/"contoso" and "fabrikam"/);
  });
});
