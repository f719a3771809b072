import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { FileSinkSchema } from '@entra-ingest/config';
import { FileSink, SinkError, batchContentKey, createSink } from '@entra-ingest/sinks';
import { makeBatch, makeEvents } from './helpers/events';

let dataDir: string;
const noSecrets = (): string => {
  throw new Error('no secrets in file sink tests');
};

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'file-sink-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function fileSink(config: Record<string, unknown> = {}): FileSink {
  return createSink(FileSinkSchema.parse({ type: 'file', ...config }), { dataDir, resolveSecret: noSecrets }) as FileSink;
}

function filesUnder(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

describe('file sink', () => {
  it('writes NDJSON under <dataDir>/ocsf/<class>/<yyyy>/<mm>/<dd>/<feed>-<source>-<start>-<contentKey>.ndjson', async () => {
    const batch = makeBatch({ windowStart: '2026-11-01T23:55:00.000Z', pass: 2, recordIds: ['a', 'b', 'c', 'd', 'e'] });
    const result = await fileSink().deliver(batch);
    const key = batchContentKey(batch);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    const expected = path.join(dataDir, 'ocsf', 'account_change', '2026', '11', '01', `contoso-directoryAudits-20261101T235500Z-${key}.ndjson`);
    expect(result).toEqual({ sinkId: 'file', delivered: 5, location: expected });
    const lines = fs.readFileSync(expected, 'utf8').split('\n');
    expect(lines.pop()).toBe(''); // every line ends with a newline
    expect(lines.map((l) => JSON.parse(l))).toEqual(batch.events.map((e) => JSON.parse(e)));
  });

  it('takes the date partition from the window start in UTC, or eventTimeMs when given', async () => {
    const sink = fileSink();
    const a = await sink.deliver(makeBatch({ windowStart: '2026-12-31T23:30:00-02:00' }));
    expect(path.relative(sink.root, path.dirname(a.location))).toBe(path.join('account_change', '2027', '01', '01'));
    expect(path.basename(a.location)).toMatch(/^contoso-directoryAudits-20270101T013000Z-[0-9a-f]{32}\.ndjson$/);
    const b = await sink.deliver(makeBatch({ eventTimeMs: Date.parse('2026-02-03T04:05:06Z') }));
    expect(path.relative(sink.root, path.dirname(b.location))).toBe(path.join('account_change', '2026', '02', '03'));
  });

  it('names a file by its records: other records get another file, the same records the same file whatever the pass', async () => {
    const sink = fileSink();
    const first = await sink.deliver(makeBatch({ recordIds: ['a', 'b', 'c', 'd', 'e'] }));
    const second = await sink.deliver(makeBatch({ events: makeEvents(2), recordIds: ['f', 'g'] }));
    expect(second.location).not.toBe(first.location);
    expect(fs.readFileSync(first.location, 'utf8').split('\n')).toHaveLength(6);
    const again = await sink.deliver(makeBatch({ pass: 3, part: 2, recordIds: ['a', 'b', 'c', 'd', 'e'] }));
    expect(again.location).toBe(first.location);
  });

  it('writes gzip that zlib reads back', async () => {
    const batch = makeBatch({ events: makeEvents(300) });
    const result = await fileSink({ gzip: true }).deliver(batch);
    expect(result.location.endsWith('.ndjson.gz')).toBe(true);
    const text = zlib.gunzipSync(fs.readFileSync(result.location)).toString('utf8');
    expect(text).toBe(`${batch.events.join('\n')}\n`);
  });

  it.each([false, true])('writes a batch larger than one write chunk whole (gzip %s)', async (gzip) => {
    // ~3 MB of events: several 1 MB chunks, compressed on the way when gzip.
    const events = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ class_uid: 3004, i, pad: 'p'.repeat(1000) }));
    const batch = { ...makeBatch(), events, recordIds: events.map((_, i) => `r${i}`) };
    const result = await fileSink({ gzip }).deliver(batch);
    const bytes = fs.readFileSync(result.location);
    const text = (gzip ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
    expect(text).toBe(`${events.join('\n')}\n`);
    // The same bytes as compressing the whole file at once.
    if (gzip) expect(bytes.equals(zlib.gzipSync(Buffer.from(text, 'utf8')))).toBe(true);
  });

  it.each([false, true])('re-delivering the same batch (gzip %s) leaves one file with the same bytes', async (gzip) => {
    const sink = fileSink({ gzip });
    const batch = makeBatch({ events: makeEvents(50) });
    const first = await sink.deliver(batch);
    const bytes = fs.readFileSync(first.location);
    const second = await fileSink({ gzip }).deliver(batch); // a new worker process after a crash
    expect(second.location).toBe(first.location);
    expect(fs.readFileSync(second.location).equals(bytes)).toBe(true);
    expect(filesUnder(dataDir)).toHaveLength(1);
  });

  it('leaves no temp files behind after many concurrent deliveries', async () => {
    const sink = fileSink();
    await Promise.all(Array.from({ length: 20 }, (_, i) => sink.deliver(makeBatch({ events: makeEvents(20), recordIds: makeEvents(20).map((_, j) => `r${i % 4}-${j}`) }))));
    const files = filesUnder(dataDir);
    expect(files).toHaveLength(4);
    for (const f of files) expect(f).toMatch(/-[0-9a-f]{32}\.ndjson$/);
  });

  it('resolves a relative root against the data dir and keeps an absolute one', async () => {
    const rel = await fileSink({ root: 'exports/ocsf' }).deliver(makeBatch());
    expect(rel.location.startsWith(path.join(dataDir, 'exports', 'ocsf') + path.sep)).toBe(true);
    const abs = path.join(dataDir, 'elsewhere');
    const out = await fileSink({ root: abs }).deliver(makeBatch());
    expect(out.location.startsWith(abs + path.sep)).toBe(true);
  });

  const hostile = ['../../etc', '..', '/etc/passwd', 'a/../../b', '..\\..\\windows', '\u0000', '.', '', 'x'.repeat(400)];
  it.each(hostile)('cannot escape its root with feed, source or class name %j', async (value) => {
    const sink = fileSink({ root: 'out' });
    const outside = fs.readdirSync(dataDir);
    for (const field of ['feed', 'source', 'className'] as const) {
      const batch = makeBatch({ [field]: value });
      let location: string | undefined;
      try {
        location = (await sink.deliver(batch)).location;
      } catch (err) {
        expect(err).toBeInstanceOf(SinkError); // refusing is fine too; escaping is not
      }
      if (location) {
        expect(path.relative(sink.root, location).split(path.sep)).toHaveLength(5);
        expect(fs.existsSync(location)).toBe(true);
      }
    }
    for (const name of fs.readdirSync(dataDir)) expect([...outside, 'out']).toContain(name);
    for (const f of filesUnder(dataDir)) expect(f.startsWith(`out${path.sep}`)).toBe(true);
  });

  it('refuses to follow a symbolic link planted inside its root', async () => {
    const sink = fileSink({ root: 'out' });
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'file-sink-target-'));
    try {
      fs.mkdirSync(sink.root, { recursive: true });
      fs.symlinkSync(target, path.join(sink.root, 'account_change'));
      await expect(sink.deliver(makeBatch())).rejects.toThrow(/would lead outside/);
      expect(fs.readdirSync(target, { recursive: true })).toEqual([]);
    } finally {
      fs.rmSync(target, { recursive: true, force: true });
    }
  });

  it('rejects a malformed batch as non-retryable and says what is wrong', async () => {
    const sink = fileSink();
    const withNewline = sink.deliver(makeBatch({ events: ['{"a":1}', '{"b":\n2}'] }));
    await expect(withNewline).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/event 1 contains a line break/) });
    await expect(sink.deliver(makeBatch({ pass: -1 }))).rejects.toThrow(/pass must be a non-negative integer/);
    await expect(sink.deliver(makeBatch({ windowStart: 'soon' }))).rejects.toThrow(/windowStart is not an ISO date-time/);
    expect(filesUnder(dataDir)).toEqual([]);
  });

  it('does nothing once the caller has cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('activity cancelled'));
    await expect(fileSink().deliver(makeBatch(), controller.signal)).rejects.toThrow('activity cancelled');
    expect(filesUnder(dataDir)).toEqual([]);
  });
});
