import crypto from 'node:crypto';
import { HttpSinkSchema, createLogger, resolveSecret, silentLogger, type SecretRef } from '@entra-ingest/config';
import { HttpSink, SinkError, batchContentKey, createSink, type HttpSinkTuning, type SinkDeps } from '@entra-ingest/sinks';
import { makeBatch, makeEvents } from './helpers/events';
import { Receiver, seededRandom, type Reply } from './helpers/receiver';

const receivers: Receiver[] = [];
const sinks: HttpSink[] = [];

afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close()));
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

async function receiver(handle: (req: import('./helpers/receiver').ReceivedRequest) => Reply): Promise<Receiver> {
  const r = await new Receiver(handle).start();
  receivers.push(r);
  return r;
}

function httpSink(config: Record<string, unknown>, deps: Partial<SinkDeps> = {}, tuning: HttpSinkTuning = {}): HttpSink {
  const sink = new HttpSink(HttpSinkSchema.parse({ type: 'http', ...config }), { dataDir: '.', resolveSecret: (ref) => resolveSecret(ref), ...deps }, tuning);
  sinks.push(sink);
  return sink;
}

const ok: Reply = { status: 200, body: '{"ok":true}' };
const eventUid = (line: string): string => (JSON.parse(line) as { metadata: { uid: string } }).metadata.uid;
const ndjsonLines = (text: string): string[] => text.split('\n').filter(Boolean);

describe('http sink', () => {
  it('POSTs NDJSON in batches of at most batchSize with an Idempotency-Key derived from each batch\'s record ids', async () => {
    const r = await receiver(() => ok);
    const recordIds = Array.from({ length: 12 }, (_, i) => `rec-${i}`);
    const batch = makeBatch({ feed: 'contoso', source: 'signIns', pass: 3, className: 'authentication', events: makeEvents(12), recordIds });
    const result = await httpSink({ url: r.url, batchSize: 5 }).deliver(batch);
    expect(result).toEqual({ sinkId: 'http', delivered: 12, location: r.url });
    expect(r.requests.map((q) => ndjsonLines(q.text).length)).toEqual([5, 5, 2]);
    expect(r.requests.flatMap((q) => ndjsonLines(q.text))).toEqual(batch.events);
    expect(r.requests.every((q) => q.text.endsWith('\n') && q.headers['content-type'] === 'application/x-ndjson')).toBe(true);
    const keyOf = (from: number, to: number) =>
      `contoso/signIns/20261101T120000Z/authentication/${batchContentKey({ ...batch, events: batch.events.slice(from, to), recordIds: recordIds.slice(from, to) })}`;
    expect(r.requests.map((q) => q.headers['idempotency-key'])).toEqual([keyOf(0, 5), keyOf(5, 10), keyOf(10, 12)]);
    expect(new Set(r.requests.map((q) => q.headers['idempotency-key'])).size).toBe(3);
  });

  it('the same key always means the same records: same ids → same key whatever pass or part; other ids → other key', async () => {
    const r = await receiver(() => ok);
    const sink = httpSink({ url: r.url, batchSize: 10 });
    await sink.deliver(makeBatch({ pass: 0, recordIds: ['a', 'b', 'c', 'd', 'e'] }));
    await sink.deliver(makeBatch({ pass: 2, part: 3, recordIds: ['a', 'b', 'c', 'd', 'e'] }));
    await sink.deliver(makeBatch({ pass: 0, recordIds: ['a', 'b', 'c', 'd', 'x'] }));
    const [k0, k1, k2] = r.requests.map((q) => q.headers['idempotency-key']);
    expect(k1).toBe(k0);
    expect(k2).not.toBe(k0);
  });

  it('delivers every event exactly once to a de-duplicating receiver that fails at random, when the caller retries', async () => {
    const random = seededRandom(20261101);
    const accepted = new Map<string, string[]>(); // idempotency key → events, kept once
    const bodiesPerKey = new Map<string, Set<string>>();
    const tally = { fail500: 0, lateAnswer: 0, throttled: 0 };
    const r = await receiver((req) => {
      const key = String(req.headers['idempotency-key']);
      if (!bodiesPerKey.has(key)) bodiesPerKey.set(key, new Set());
      bodiesPerKey.get(key)!.add(req.text);
      const roll = random();
      if (roll < 0.25) {
        tally.fail500++;
        return { status: 500, body: 'boom' };
      }
      if (roll < 0.32 && tally.throttled < 3) {
        tally.throttled++;
        return { status: 429, headers: { 'retry-after': '0' } };
      }
      if (!accepted.has(key)) accepted.set(key, ndjsonLines(req.text));
      // Processed, but the answer comes after the client has given up: the client must retry with the same key.
      if (roll > 0.8) {
        tally.lateAnswer++;
        return { ...ok, delayMs: 250 };
      }
      return ok;
    });
    const events = makeEvents(240);
    const config = { url: r.url, batchSize: 7, timeout: '100ms' };
    // The sink sends once and fails fast; the caller sends again. Like the delivery activity, it checkpoints each
    // batch of at most batchSize events and, on a retry, resumes with the batch that failed.
    const deliverRetrying = async (): Promise<number> => {
      let failures = 0;
      for (let start = 0; start < events.length; start += 7) {
        const batch = makeBatch({ events: events.slice(start, start + 7) });
        for (;;) {
          try {
            await httpSink(config).deliver(batch);
            break;
          } catch (err) {
            expect(err).toMatchObject({ name: 'SinkError', retryable: true });
            if (++failures > 500) throw err;
          }
        }
      }
      return failures;
    };
    expect(await deliverRetrying()).toBeGreaterThan(3);
    // The chaos really happened, so the assertions below are meaningful.
    expect(tally.fail500).toBeGreaterThan(3);
    expect(tally.lateAnswer).toBeGreaterThan(3);
    expect(tally.throttled).toBeGreaterThan(0);
    expect(r.requests.length).toBeGreaterThan(Math.ceil(240 / 7));

    const arrived = [...accepted.values()].flat().map(eventUid);
    expect(arrived).toHaveLength(240);
    expect(new Set(arrived)).toEqual(new Set(events.map(eventUid)));
    // A key always carried the same events, however often it was retried.
    for (const bodies of bodiesPerKey.values()) expect(bodies.size).toBe(1);

    // A re-run (e.g. after a crash before the manifest update) sends the same keys: nothing new is accepted.
    const keysBefore = new Set(accepted.keys());
    await deliverRetrying();
    expect(new Set(accepted.keys())).toEqual(keysBefore);
    expect([...accepted.values()].flat()).toHaveLength(240);
  }, 60_000);

  it('fails fast on a 429: one request, no wait, the Retry-After on the error for the next retry delay', async () => {
    const r = await receiver(() => ({ status: 429, headers: { 'retry-after': '2' } }));
    const started = Date.now();
    const err = await httpSink({ url: r.url }).deliver(makeBatch()).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(err).toBeInstanceOf(SinkError);
    expect(err).toMatchObject({ retryable: true, status: 429, retryAfterMs: 2000 });
    expect(r.requests).toHaveLength(1);
  });

  it('hands a very long Retry-After to the caller as it is (the activity caps it), without sleeping', async () => {
    const r = await receiver(() => ({ status: 503, headers: { 'retry-after': '3600' } }));
    const err = await httpSink({ url: r.url }).deliver(makeBatch()).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, status: 503, retryAfterMs: 3_600_000 });
    expect(r.requests).toHaveLength(1);
  });

  it('turns a 400 into a non-retryable SinkError without retrying', async () => {
    const r = await receiver(() => ({ status: 400, body: '{"error":"bad event"}' }));
    const err = await httpSink({ url: r.url }).deliver(makeBatch()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SinkError);
    expect(err).toMatchObject({ retryable: false, status: 400, message: expect.stringContaining('bad event') });
    expect(r.requests).toHaveLength(1);
  });

  it('sends a failing batch once whatever maxRetries an older config sets, and warns that it is ignored', async () => {
    const r = await receiver(() => ({ status: 502 }));
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (msg: string) => void warnings.push(msg) };
    const err = await httpSink({ url: r.url, maxRetries: 5 }, { logger }).deliver(makeBatch()).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, status: 502, message: expect.stringMatching(/not delivered: HTTP 502/) });
    expect((err as SinkError).retryAfterMs).toBeUndefined();
    expect(r.requests).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/maxRetries is ignored/)]);
    // Control: without the option there is no warning.
    warnings.length = 0;
    await httpSink({ url: r.url }, { logger }).deliver(makeBatch()).catch(() => undefined);
    expect(warnings).toEqual([]);
  });

  it('reports a connection error as retryable after one attempt', async () => {
    const r = await receiver(() => ok);
    const url = r.url;
    await r.stop();
    receivers.splice(receivers.indexOf(r), 1);
    const err = await httpSink({ url }).deliver(makeBatch()).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, message: expect.stringMatching(/not delivered: connection error: ECONNREFUSED/) });
  });

  it('stops at once when the caller cancels while the receiver is slow to answer', async () => {
    const r = await receiver(() => ({ ...ok, delayMs: 10_000 }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('activity cancelled')), 100);
    const started = Date.now();
    const sink = httpSink({ url: r.url, timeout: '30s' });
    await expect(sink.deliver(makeBatch(), controller.signal)).rejects.toThrow('activity cancelled');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.requests).toHaveLength(1);
  });

  it('gzips the body when asked', async () => {
    const r = await receiver(() => ok);
    const batch = makeBatch({ events: makeEvents(100) });
    await httpSink({ url: r.url, gzip: true }).deliver(batch);
    const [req] = r.requests;
    expect(req.headers['content-encoding']).toBe('gzip');
    expect(req.rawBytes).toBeLessThan(Buffer.byteLength(req.text));
    expect(ndjsonLines(req.text)).toEqual(batch.events);
  });

  it('sends a JSON array when asked', async () => {
    const r = await receiver(() => ok);
    const batch = makeBatch({ events: makeEvents(3) });
    await httpSink({ url: r.url, format: 'json-array' }).deliver(batch);
    expect(r.requests[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.requests[0].text)).toEqual(batch.events.map((e) => JSON.parse(e)));
  });

  it('speaks Splunk HEC: one envelope per event, time in seconds, token from a secret reference', async () => {
    process.env.TEST_HEC_TOKEN = crypto.randomUUID();
    try {
      const r = await receiver(() => ({ status: 200, body: '{"text":"Success","code":0}' }));
      const batch = makeBatch({ events: makeEvents(4) });
      await httpSink({
        url: r.url,
        format: 'splunk-hec',
        headers: { Authorization: { secret: { env: 'TEST_HEC_TOKEN' } } },
        splunk: { index: 'entra', sourcetype: 'ocsf:account_change' },
      }).deliver(batch);
      const [req] = r.requests;
      expect(req.headers.authorization).toBe(`Splunk ${process.env.TEST_HEC_TOKEN}`);
      // HEC reads a stream of JSON objects; split on the boundaries between them.
      const envelopes = req.text.split(/\n(?=\{"time")/).map((t) => JSON.parse(t) as Record<string, unknown>);
      expect(envelopes).toHaveLength(4);
      envelopes.forEach((env, i) => {
        const event = JSON.parse(batch.events[i]) as { time: number };
        expect(env).toEqual({ time: event.time / 1000, source: 'entra-ingest:contoso:directoryAudits', sourcetype: 'ocsf:account_change', index: 'entra', event });
      });
    } finally {
      delete process.env.TEST_HEC_TOKEN;
    }
  });

  it('never writes a secret header value to the logs, even when the receiver echoes it', async () => {
    const token = `tok-${crypto.randomUUID()}`;
    const lines: string[] = [];
    const logger = createLogger('sink-test', { level: 'debug', write: (l) => lines.push(l) });
    let calls = 0;
    const r = await receiver((req) => {
      calls++;
      const echo = `you sent ${String(req.headers['x-api-key'])}`;
      if (calls === 1) return { status: 500, body: echo };
      if (calls === 2) return ok;
      return { status: 401, body: echo };
    });
    const resolveSecretRef = (ref: SecretRef): string => ('env' in ref && ref.env === 'API_KEY' ? token : 'visible');
    const sink = httpSink({ url: r.url, headers: { 'X-Api-Key': { secret: { env: 'API_KEY' } }, 'X-Other': { secret: { env: 'OTHER' } } } }, { resolveSecret: resolveSecretRef, logger });
    const first = (await sink.deliver(makeBatch()).catch((e: unknown) => e)) as SinkError;
    await sink.deliver(makeBatch());
    const err = (await sink.deliver(makeBatch({ pass: 2 })).catch((e: unknown) => e)) as SinkError;
    expect(r.requests[0].headers['x-api-key']).toBe(token);
    expect(r.requests[0].headers['x-other']).toBe('visible');
    expect(first.retryable).toBe(true);
    expect(err.retryable).toBe(false);
    expect(lines.some((l) => l.includes('batch delivered'))).toBe(true); // the logger was in use
    expect(lines.join('')).not.toContain(token);
    for (const e of [first, err]) {
      expect(e.message).not.toContain(token);
      expect(e.message).toContain('[REDACTED]');
      expect(e.answer ?? '').not.toContain(token);
    }
  });

  it('reads the secret at send time, so a rotated value is used at once', async () => {
    let current = 'first-secret';
    const r = await receiver(() => ok);
    const sink = httpSink({ url: r.url, headers: { 'X-Api-Key': { secret: { env: 'ROTATING' } } } }, { resolveSecret: () => current });
    await sink.deliver(makeBatch());
    current = 'second-secret';
    await sink.deliver(makeBatch());
    expect(r.requests.map((q) => q.headers['x-api-key'])).toEqual(['first-secret', 'second-secret']);
  });

  it('is what createSink builds for type http', async () => {
    const r = await receiver(() => ok);
    const sink = createSink(HttpSinkSchema.parse({ type: 'http', id: 'siem', url: r.url }), { dataDir: '.', resolveSecret: () => '' });
    try {
      expect(sink).toBeInstanceOf(HttpSink);
      expect((await sink.deliver(makeBatch())).sinkId).toBe('siem');
    } finally {
      await sink.close();
    }
  });
});
