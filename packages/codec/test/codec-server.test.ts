import crypto from 'node:crypto';
import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { EncryptionCodec, payloadsFromJson, payloadsToJson, type RunningCodecServer, startCodecServer } from '../src';

const UI = 'http://127.0.0.1:8233';
const codec = new EncryptionCodec({ currentKeyId: 'k1', keys: [{ id: 'k1', key: new Uint8Array(crypto.randomBytes(32)) }] });
let server: RunningCodecServer;

afterEach(async () => {
  await server?.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('codec server over HTTP', () => {
  test('encode then decode round-trips proto-JSON payloads (base64 data and metadata values)', async () => {
    server = await startCodecServer({ codecs: [codec], port: 0, corsOrigin: UI });
    const value = { feed: 'contoso-feed', windowStart: '2026-03-14T09:26:00.000Z' };
    const request = payloadsToJson([defaultPayloadConverter.toPayload(value)]);
    expect(request.payloads[0]!.metadata!.encoding).toBe(Buffer.from('json/plain').toString('base64'));

    const encRes = await post('/encode', request);
    expect(encRes.status).toBe(200);
    expect(encRes.headers.get('content-type')).toBe('application/json');
    const encoded = (await encRes.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(Buffer.from(encoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(encoded.payloads[0]!.data, 'base64').includes('contoso-feed')).toBe(false);

    // The CLI templates the namespace into the path: /{namespace}/decode works too.
    const decRes = await post('/default/decode', encoded);
    expect(decRes.status).toBe(200);
    const [decoded] = payloadsFromJson(await decRes.json());
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(value);
  });

  test('decodes payloads the worker-side codec produced', async () => {
    server = await startCodecServer({ codecs: [codec], port: 0 });
    const encrypted = await codec.encode([defaultPayloadConverter.toPayload('from the worker')]);
    const res = await post('/decode', payloadsToJson(encrypted));
    expect(defaultPayloadConverter.fromPayload(payloadsFromJson(await res.json())[0]!)).toBe('from the worker');
  });

  test('CORS preflight from the Web UI origin gets the headers the browser needs', async () => {
    server = await startCodecServer({ codecs: [codec], port: 0, corsOrigin: [UI, 'http://localhost:8233'] });
    const res = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: { Origin: UI, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace,authorization' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    const allowedHeaders = res.headers.get('access-control-allow-headers')!.toLowerCase().split(/,\s*/);
    expect(allowedHeaders).toEqual(expect.arrayContaining(['content-type', 'x-namespace', 'authorization']));

    // The actual POST carries the origin header back too, or the browser hides the answer.
    const post2 = await post('/decode', { payloads: [] }, { Origin: 'http://localhost:8233' });
    expect(post2.status).toBe(200);
    expect(post2.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    expect(await post2.json()).toEqual({ payloads: [] });
  });

  test('an origin that is not allowed gets no CORS grant', async () => {
    server = await startCodecServer({ codecs: [codec], port: 0, corsOrigin: UI });
    const pre = await fetch(`${server.url}/decode`, { method: 'OPTIONS', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(pre.status).toBe(403);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await post('/decode', { payloads: [] }, { Origin: 'http://evil.example' });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('bad requests get clear errors with the right status', async () => {
    server = await startCodecServer({ codecs: [codec], port: 0, maxBodyBytes: 1024 });
    const notJson = await post('/decode', '{nope');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'body is not JSON' });

    const badField = await post('/decode', { payloads: [{ metadata: { encoding: 'json plain' } }] });
    expect(badField.status).toBe(400);
    expect(((await badField.json()) as { error: string }).error).toMatch(/payloads\[0\]\.metadata\.encoding must be a base64 string/);

    const badData = await post('/encode', { payloads: [{ metadata: {}, data: 42 }] });
    expect(((await badData.json()) as { error: string }).error).toMatch(/payloads\[0\]\.data must be a base64 string/);

    const noPayloads = await post('/encode', { items: [] });
    expect(noPayloads.status).toBe(400);

    const [other] = await new EncryptionCodec({ currentKeyId: 'gone', keys: [{ id: 'gone', key: new Uint8Array(32) }] }).encode([defaultPayloadConverter.toPayload(1)]);
    const unknownKey = await post('/decode', payloadsToJson([other!]));
    expect(unknownKey.status).toBe(422);
    expect(((await unknownKey.json()) as { error: string }).error).toMatch(/cannot decode payloads: .*key id "gone"/);

    expect((await post('/decode', 'x'.repeat(5000))).status).toBe(413);
    expect((await fetch(`${server.url}/decode`)).status).toBe(405);
    expect((await post('/metrics', {})).status).toBe(404);
  });

  test('several codecs run in order on encode and in reverse on decode', async () => {
    const tag = (name: string): PayloadCodec => ({
      encode: async (ps: Payload[]) => ps.map((p) => ({ metadata: p.metadata, data: Buffer.concat([Buffer.from(p.data ?? []), Buffer.from(name)]) })),
      decode: async (ps: Payload[]) =>
        ps.map((p) => {
          const data = Buffer.from(p.data ?? []);
          if (!data.subarray(-name.length).equals(Buffer.from(name))) throw new Error(`expected trailing ${name}`);
          return { metadata: p.metadata, data: data.subarray(0, -name.length) };
        }),
    });
    server = await startCodecServer({ codecs: [tag('A'), tag('B')], port: 0 });
    const enc = payloadsFromJson(await (await post('/encode', payloadsToJson([defaultPayloadConverter.toPayload('v')]))).json());
    expect(Buffer.from(enc[0]!.data!).toString().endsWith('AB')).toBe(true);
    const dec = payloadsFromJson(await (await post('/decode', payloadsToJson(enc))).json());
    expect(defaultPayloadConverter.fromPayload(dec[0]!)).toBe('v');
  });
});

describe('codec server access control', () => {
  const TOKEN = 'codec-test-token-6f1d';
  const payloads = async () => payloadsToJson(await codec.encode([defaultPayloadConverter.toPayload('secret value')]));

  test('with a token, a request without it or with a wrong one is refused (401); the right one is answered', async () => {
    server = await startCodecServer({ codecs: [codec], port: 0, token: TOKEN });
    const body = await payloads();
    const none = await post('/decode', body);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(JSON.stringify(await none.json())).not.toContain('secret value');
    expect((await post('/decode', body, { Authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await post('/decode', body, { Authorization: TOKEN })).status).toBe(401);
    const ok = await post('/decode', body, { Authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(defaultPayloadConverter.fromPayload(payloadsFromJson(await ok.json())[0]!)).toBe('secret value');
  });

  test('only application/json bodies are accepted (415 otherwise)', async () => {
    server = await startCodecServer({ codecs: [codec], port: 0 });
    const body = JSON.stringify(await payloads());
    const asText = await fetch(`${server.url}/decode`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body });
    expect(asText.status).toBe(415);
    const asForm = await fetch(`${server.url}/decode`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
    expect(asForm.status).toBe(415);
    expect((await post('/decode', JSON.parse(body), { 'Content-Type': 'application/json; charset=utf-8' })).status).toBe(200);
  });

  test('a Host header outside the allowed names is refused (DNS rebinding)', async () => {
    server = await startCodecServer({ codecs: [codec], port: 0 });
    const http = await import('node:http');
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(`${server.url}/decode`, { method: 'POST', headers: { Host: host, 'Content-Type': 'application/json' } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end(JSON.stringify({ payloads: [] }));
      });
    expect(await status('attacker.example:8888')).toBe(421);
    expect(await status(`localhost:${server.port}`)).toBe(200);
    expect(await status(`127.0.0.1:${server.port}`)).toBe(200);
    await server.close();
    server = await startCodecServer({ codecs: [codec], port: 0, allowedHosts: ['codec.internal'] });
    expect(await status(`codec.internal:${server.port}`)).toBe(200);
    expect(await status(`127.0.0.1:${server.port}`)).toBe(421);
  });

  test('a non-loopback bind without a token is refused before listening', async () => {
    await expect(startCodecServer({ codecs: [codec], port: 0, host: '0.0.0.0' })).rejects.toThrow(/refusing to listen on 0\.0\.0\.0 without a token/);
    server = await startCodecServer({ codecs: [codec], port: 0, host: '0.0.0.0', token: TOKEN, allowedHosts: ['127.0.0.1'] });
    const res = await fetch(`http://127.0.0.1:${server.port}/decode`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"payloads":[]}' });
    expect(res.status).toBe(401);
  });
});
