import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { HttpSinkSchema } from '@entra-ingest/config';
import { DeadLetterWriter, HttpSink, batchContentKey, readDeadLetters, type DeadLetter, type StoredDeadLetter } from '@entra-ingest/sinks';
import { FileBlobStore } from '@entra-ingest/store';
import { resendBatches } from '../src/dead-letter-resend';
import { runCli } from '../src/program';
import { captureOutput, type CapturedOutput } from './captured-output';

// `entra-ingest dead-letters --resend <sink>`: once the cause of a refusal is fixed at the receiver, the events a sink
// refused for good go to that sink again; each letter is removed once its event is taken, kept if refused again.

const event = (id: string, classUid = 3004, extra = ''): string => `{"class_uid":${classUid},"metadata":{"uid":"${id}"}${extra}}`;
const refused = (id: string, extra: Partial<DeadLetter> = {}): DeadLetter => ({
  reason: 'sink siem rejected the event: HTTP 400: field x', feed: 'acme', source: 'directoryAudits', windowStart: '2026-11-01T12:00:00.000Z',
  recordId: id, payload: event(id), ...extra,
});
const stored = (l: DeadLetter, key: string): StoredDeadLetter => ({ ...l, key, writtenAt: '2026-11-02T08:00:00.000Z' });

describe('resendBatches', () => {
  it('takes the sink\'s refusals only, one batch per source, window and class, cut at the sink\'s batch size', () => {
    const letters = [
      stored(refused('a'), 'k/a'), stored(refused('b'), 'k/b'), stored(refused('c'), 'k/c'),
      stored(refused('d', { payload: event('d', 3005) }), 'k/d'),
      stored(refused('e', { windowStart: '2026-11-01T13:00:00.000Z' }), 'k/e'),
      stored(refused('f', { reason: 'sink other rejected the event: 400' }), 'k/f'),
      stored(refused('g', { reason: 'record has no usable time' }), 'k/g'),
    ];
    const { batches, unusable } = resendBatches(letters, 'siem', 2);
    expect(batches.map((b) => [b.batch.classUid, b.batch.className, b.batch.windowStart, b.batch.recordIds, b.letters.map((l) => l.key)])).toEqual([
      [3004, 'entity_management', '2026-11-01T12:00:00.000Z', ['a', 'b'], ['k/a', 'k/b']],
      [3004, 'entity_management', '2026-11-01T12:00:00.000Z', ['c'], ['k/c']],
      [3005, 'user_access', '2026-11-01T12:00:00.000Z', ['d'], ['k/d']],
      [3004, 'entity_management', '2026-11-01T13:00:00.000Z', ['e'], ['k/e']],
    ]);
    expect(batches[0]!.batch.events).toEqual([event('a'), event('b')]);
    expect(unusable).toEqual([]);
  });

  it('scopes each batch\'s key by its letters and their refusals: never the refused request\'s key, the same on a re-run, new after a refusal', () => {
    const letters = [stored(refused('a'), 'k/a'), stored(refused('b'), 'k/b')];
    const key = (ls: StoredDeadLetter[]): string => batchContentKey(resendBatches(ls, 'siem', 10).batches[0]!.batch);
    const asSentFirst = batchContentKey({ ...resendBatches(letters, 'siem', 10).batches[0]!.batch, keyScope: undefined });
    expect(key(letters)).not.toBe(asSentFirst);
    expect(key(letters)).toBe(key([stored(refused('a'), 'k/a'), stored(refused('b'), 'k/b')]));
    expect(key([letters[0]!, { ...letters[1]!, resent: 1 }])).not.toBe(key(letters));
  });

  it('says which letters cannot be sent again and why', () => {
    const { batches, unusable } = resendBatches([
      stored(refused('a', { payload: { not: 'text' } }), 'k/a'),
      stored(refused('b', { payload: '{not json' }), 'k/b'),
      stored(refused('c', { payload: '{"metadata":{}}' }), 'k/c'),
      stored(refused('d', { recordId: undefined }), 'k/d'),
    ], 'siem', 10);
    expect(batches).toEqual([]);
    expect(unusable).toEqual([
      { key: 'k/a', why: 'the letter holds no event text and record id' },
      { key: 'k/b', why: 'its event is not JSON' },
      { key: 'k/c', why: 'its event has no class_uid' },
      { key: 'k/d', why: 'the letter holds no event text and record id' },
    ]);
  });
});

describe('dead-letters --resend', () => {
  let dir: string;
  let server: http.Server;
  let output: CapturedOutput;
  /**
   * Events the receiver took; it refuses every batch holding an event marked "bad" while `strict`, and answers a
   * repeated Idempotency-Key it refused with the answer it gave first (as a receiver that stores responses may).
   */
  const taken: string[] = [];
  const refusedKeys = new Set<string>();
  let strict = true;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-resend-'));
    taken.length = 0;
    refusedKeys.clear();
    strict = true;
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean);
        const key = String(req.headers['idempotency-key']);
        if (refusedKeys.has(key) || (strict && lines.some((l) => l.includes('"bad"')))) {
          refusedKeys.add(key);
          res.writeHead(400, { 'content-type': 'text/plain' }).end('field bad is not allowed');
          return;
        }
        for (const l of lines) taken.push((JSON.parse(l) as { metadata: { uid: string } }).metadata.uid);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ingest`;
    fs.writeFileSync(path.join(dir, 'feeds.yaml'), [
      'temporal: { address: "127.0.0.1:1" }', 'dataDir: data', 'feeds:',
      '  - id: acme', '    tenantId: t', '    clientId: c', '    credential: { clientSecret: { env: ACME_SECRET } }',
      `    sinks: [{ type: file, id: file }, { type: http, id: siem, url: "${url}", batchSize: 10 }]`, '',
    ].join('\n'));
    output = captureOutput();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    process.exitCode = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const store = () => new FileBlobStore(path.join(dir, 'data', 'store'));
  const config = () => path.join(dir, 'feeds.yaml');

  test('sends the refused events again, removes the letters of those taken, keeps those refused again', async () => {
    await new DeadLetterWriter(store()).write([
      refused('ok-1'), refused('ok-2'), refused('still-bad', { payload: event('still-bad', 3004, ',"x":"bad"') }),
      refused('r1', { reason: 'record has no usable time', payload: { id: 'r1' } }),
    ]);
    expect(await runCli(['dead-letters', '--config', config(), '--feed', 'acme', '--resend', 'siem'])).toBe(1);
    expect(output.stdout).toMatch(/^sink siem: 2 refused events sent again and taken \(their letters removed\); 1 refused again \(their letters stay\)$/m);
    expect(taken.sort()).toEqual(['ok-1', 'ok-2']);
    const left = await readDeadLetters(store());
    expect(left.map((l) => l.recordId).sort()).toEqual(['r1', 'still-bad']);

    // The receiver fixed: the last refused event goes; the letter of another cause is not touched.
    strict = false;
    process.exitCode = undefined;
    output.stdout = '';
    expect(await runCli(['dead-letters', '--config', config(), '--feed', 'acme', '--resend', 'siem'])).toBe(0);
    expect(output.stdout).toMatch(/^sink siem: 1 refused event sent again and taken/m);
    expect(taken.sort()).toEqual(['ok-1', 'ok-2', 'still-bad']);
    expect((await readDeadLetters(store())).map((l) => l.recordId)).toEqual(['r1']);
    // Nothing left to send: says so, sends nothing.
    output.stdout = '';
    expect(await runCli(['dead-letters', '--config', config(), '--feed', 'acme', '--resend', 'siem'])).toBe(0);
    expect(output.stdout).toMatch(/no letters filed as "sink siem rejected the event"/);
    expect(taken).toHaveLength(3);
  });

  test('a resend is not taken for the request the receiver refused: the event reaches a receiver that repeats its answers', async () => {
    // Delivered as the worker does, refused, filed as the worker files it.
    const url = /url: "([^"]+)"/.exec(fs.readFileSync(config(), 'utf8'))![1]!;
    const sink = new HttpSink(HttpSinkSchema.parse({ type: 'http', id: 'siem', url, batchSize: 10 }), { dataDir: dir, resolveSecret: () => '' });
    const id = 'fixed-later';
    const first = { feed: 'acme', source: 'directoryAudits', windowStart: '2026-11-01T12:00:00.000Z', pass: 0, classUid: 3004, className: 'entity_management',
      events: [event(id, 3004, ',"x":"bad"')], recordIds: [id] };
    await expect(sink.deliver(first)).rejects.toThrow(/400/);
    await new DeadLetterWriter(store()).write([refused(id, { payload: first.events[0] })]);

    strict = false;
    // The control: the refused request itself, sent again, gets the receiver's first answer although it is fixed.
    await expect(sink.deliver(first)).rejects.toThrow(/400/);
    expect(await runCli(['dead-letters', '--config', config(), '--feed', 'acme', '--resend', 'siem'])).toBe(0);
    expect(taken).toEqual([id]);
    expect(await readDeadLetters(store())).toEqual([]);
  });

  test('an event refused again keeps its letter with the new answer, and its next resend goes under a new key', async () => {
    await new DeadLetterWriter(store()).write([refused('b', { payload: event('b', 3004, ',"x":"bad"') })]);
    expect(await runCli(['dead-letters', '--config', config(), '--feed', 'acme', '--resend', 'siem'])).toBe(1);
    const [letter] = await readDeadLetters(store());
    expect(letter).toMatchObject({ recordId: 'b', resent: 1, reason: 'sink siem rejected the event: HTTP 400: field bad is not allowed' });
    strict = false;
    process.exitCode = undefined;
    expect(await runCli(['dead-letters', '--config', config(), '--feed', 'acme', '--resend', 'siem'])).toBe(0);
    expect(taken).toEqual(['b']);
  });

  test('a receiver that is down stops the resend with an error and removes nothing', async () => {
    await new DeadLetterWriter(store()).write([refused('ok-1')]);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server = http.createServer((_req, res) => res.writeHead(503).end('down'));
    await new Promise<void>((resolve) => server.listen(Number(/:(\d+)\//.exec(fs.readFileSync(config(), 'utf8'))![1]), '127.0.0.1', resolve));
    expect(await runCli(['dead-letters', '--config', config(), '--feed', 'acme', '--resend', 'siem'])).not.toBe(0);
    expect(output.stderr).toMatch(/503/);
    expect((await readDeadLetters(store())).map((l) => l.recordId)).toEqual(['ok-1']);
  });

  test('--resend needs --feed and a sink of that feed', async () => {
    expect(await runCli(['dead-letters', '--config', config(), '--resend', 'siem'])).toBe(2);
    expect(output.stderr).toMatch(/--resend needs --feed/);
    expect(await runCli(['dead-letters', '--config', config(), '--feed', 'acme', '--resend', 'nope'])).toBe(2);
    expect(output.stderr).toMatch(/feed "acme" has no sink "nope"; its sinks: file, siem/);
  });
});
