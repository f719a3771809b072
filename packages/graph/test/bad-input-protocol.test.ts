import crypto from 'node:crypto';
import { GraphClient, closeTokenProviders, getTokenProvider, type GraphError, type GraphPage } from '../src';
import { newSecret, secretConnection } from './helpers/connection';
import { page, startFakeMicrosoft, type FakeMicrosoft, type FakeResponse, type Handler } from './helpers/fake-microsoft';

// The bad-input corpus, protocol part: what a broken or hostile Graph / token endpoint can send. Every answer ends in
// a typed error that says what was wrong (or, where the protocol allows it, a sane reading), never a hang, a crash or
// a token sent to another host. The record-level corpus is in packages/ocsf/test/bad-input-records.test.ts.

const WINDOW = { source: 'directoryAudits' as const, from: '2026-11-01T00:00:00Z', to: '2026-11-01T06:00:00Z' };
const good = { id: 'Directory_good_1', activityDateTime: '2026-11-01T01:00:00Z', activityDisplayName: 'Add user' };

let ms: FakeMicrosoft;
let secret: string;
const clients: GraphClient[] = [];

async function serve(graph: Handler, token?: Handler): Promise<void> {
  ms = await startFakeMicrosoft({ token: { secret, ...(token ? { handler: token } : {}) }, graph });
}

function client(): GraphClient {
  const c = new GraphClient({ connection: secretConnection(ms, secret), backoffBaseMs: 2, maxTransientRetries: 2, maxInlineRetryAfterMs: 2_000 });
  clients.push(c);
  return c;
}

async function read(): Promise<{ pages: GraphPage[]; error?: GraphError; ms: number }> {
  const started = Date.now();
  const pages: GraphPage[] = [];
  try {
    for await (const p of client().windowPages(WINDOW)) pages.push(p);
  } catch (err) {
    return { pages, error: err as GraphError, ms: Date.now() - started };
  }
  return { pages, ms: Date.now() - started };
}

const raw = (body: string): FakeResponse => ({ status: 200, body });

beforeEach(() => {
  secret = newSecret();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await ms?.close();
});
afterAll(() => closeTokenProviders());

describe('malformed Graph pages → malformed-response (retryable, says what is wrong)', () => {
  const cases: [string, FakeResponse, RegExp][] = [
    ['a page that is not JSON (an HTML error page with status 200)', raw('<html><body>Service Unavailable</body></html>'), /not valid JSON/],
    ['a truncated page', raw('{"@odata.context":"x","value":[{"id":"a1","activityDateTime":"2026-11-01T01:00:00Z"},{"id":"a'), /not valid JSON/],
    ['an empty body', raw(''), /not valid JSON/],
    ['a page without "value"', raw('{"@odata.context":"x"}'), /no "value" array/],
    ['"value" that is a string', raw('{"value":"[{\\"id\\":\\"a1\\"}]"}'), /no "value" array/],
    ['"value" that is an object', raw('{"value":{"id":"a1"}}'), /no "value" array/],
    ['"value" holding nulls and numbers', raw('{"value":[null,1,"x"]}'), /other than objects/],
    ['a JSON array instead of an object', raw('[{"id":"a1"}]'), /not a JSON object/],
    ['"@odata.nextLink" that is a number', raw('{"value":[],"@odata.nextLink":42}'), /nextLink" is not a string/],
  ];
  it.each(cases)('%s', async (_name, answer, problem) => {
    await serve(() => answer);
    const r = await read();
    expect(r.pages).toHaveLength(0);
    expect(r.error).toMatchObject({ kind: 'malformed-response', retryable: true });
    expect(r.error!.message).toMatch(problem);
    expect(r.error!.message).toMatch(/client-request-id [0-9a-f-]{36}/);
    expect(ms.graphRequests()).toHaveLength(3); // the first try and two inline retries, then the caller decides
  });
});

describe('links to somewhere else are refused before anything is sent', () => {
  const cases: [string, (url: string) => string][] = [
    ['a nextLink to another host', () => 'https://graph.attacker.invalid/v1.0/auditLogs/directoryAudits?$skiptoken=x'],
    ['a nextLink to the same host over plain http', (url) => `${url.replace('https:', 'http:')}/v1.0/auditLogs/directoryAudits?$skiptoken=x`],
    ['a nextLink to the same host on another port', (url) => `${url.replace(/:\d+$/, ':1')}/v1.0/auditLogs/directoryAudits?$skiptoken=x`],
    ['a nextLink with another scheme (file:)', () => 'file:///etc/passwd'],
    ['a nextLink that is not a URL', () => 'javascript:alert(1)//not a url'],
    ['a relative nextLink', () => '/v1.0/auditLogs/directoryAudits?$skiptoken=x'],
  ];
  it.each(cases)('%s → foreign-next-link, the first page kept, no token leaves', async (_name, link) => {
    await serve(() => page([good], { '@odata.nextLink': link(ms.url) }));
    const r = await read();
    expect(r.pages.map((p) => p.records.length)).toEqual([1]);
    expect(r.error).toMatchObject({ kind: 'foreign-next-link', retryable: false });
    expect(r.error!.message).toContain(`only ${ms.url} is trusted`);
    expect(ms.graphRequests()).toHaveLength(1);
  });
});

describe('Retry-After that makes no sense', () => {
  it('429 with Retry-After 10^9 s → ThrottledError at once (no inline wait of 31 years)', async () => {
    await serve(() => ({ status: 429, headers: { 'retry-after': '1000000000' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } }));
    const r = await read();
    expect(r.ms).toBeLessThan(2_000);
    expect(r.error).toMatchObject({ kind: 'throttled', retryable: true, retryAfterMs: 1e12 });
  });

  it('429 with a negative Retry-After is read as "no wait": retried inline and the read goes on', async () => {
    let calls = 0;
    await serve(() => (++calls === 1 ? { status: 429, headers: { 'retry-after': '-30' }, body: { error: { code: 'TooManyRequests', message: 'x' } } } : page([good])));
    const r = await read();
    expect(r.error).toBeUndefined();
    expect(r.pages[0]!.records).toEqual([good]);
    expect(r.ms).toBeLessThan(2_000);
  });

  it('429 with a Retry-After that is neither seconds nor a date → the client backs off by itself', async () => {
    let calls = 0;
    await serve(() => (++calls === 1 ? { status: 429, headers: { 'retry-after': 'soon-ish' }, body: { error: { code: 'TooManyRequests', message: 'x' } } } : page([good])));
    const r = await read();
    expect(r.error).toBeUndefined();
    expect(calls).toBe(2);
  });

  it('503 with Retry-After 10^9 s → transient error handed to the caller at once, with the wait it asked for', async () => {
    await serve(() => ({ status: 503, headers: { 'retry-after': '1000000000' }, body: '' }));
    const r = await read();
    expect(r.ms).toBeLessThan(2_000);
    expect(r.error).toMatchObject({ kind: 'transient', retryable: true, status: 503 });
  });
});

describe('odd but parseable pages', () => {
  it('duplicate keys in a record: the last one wins, as in every JSON parser of the pipeline', async () => {
    await serve(() => raw('{"value":[{"id":"first","id":"second","activityDateTime":"2026-11-01T01:00:00Z"}]}'));
    const r = await read();
    expect(r.error).toBeUndefined();
    expect(r.pages[0]!.records[0]!.id).toBe('second');
  });

  it('control characters and lone UTF-16 surrogates in strings arrive as the same code units', async () => {
    await serve(() => raw('{"value":[{"id":"ctl","activityDisplayName":"a\\u0000b\\u001bc\\ud800d\\udfffe"}]}'));
    const r = await read();
    expect(r.error).toBeUndefined();
    expect(r.pages[0]!.records[0]!.activityDisplayName).toBe('a\u0000b\u001bc\ud800d\udfffe');
  });

  it('a record nested 100,000 levels deep is parsed (JSON.parse is not recursive) and handed on', async () => {
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
    await serve(() => raw(`{"value":[{"id":"deep","activityDateTime":"2026-11-01T01:00:00Z","targetResources":${deep}}]}`));
    const r = await read();
    expect(r.error).toBeUndefined();
    expect(r.pages[0]!.records[0]!.id).toBe('deep');
  });
});

describe('token endpoint garbage', () => {
  const tokenCase = (body: unknown, status = 200): Handler => () => ({ status, body });

  it('a token response without expires_in: the token is used, with an expiry in the near future', async () => {
    await serve(() => page([good]), tokenCase({ token_type: 'Bearer', access_token: `at-${crypto.randomBytes(8).toString('hex')}` }));
    const asked = Date.now();
    const token = await getTokenProvider(secretConnection(ms, secret)).getToken();
    // Not in the past of the request (msal keeps whole seconds), however long the test took after it.
    expect(token.expiresOn.getTime()).toBeGreaterThan(asked - 1000);
    expect(Number.isFinite(token.expiresOn.getTime())).toBe(true);
  });

  it('a token response without access_token → AuthConfigError saying the token endpoint answered without one', async () => {
    await serve(() => page([good]), tokenCase({ token_type: 'Bearer', expires_in: 3599 }));
    await expect(getTokenProvider(secretConnection(ms, secret)).getToken()).rejects.toMatchObject({ kind: 'auth-config', retryable: false });
  });

  it('a token endpoint answering HTML with 200 → a clear sign-in error, no token', async () => {
    await serve(() => page([good]), tokenCase('<html>login</html>'));
    const err = await getTokenProvider(secretConnection(ms, secret)).getToken().catch((e: GraphError) => e);
    expect(err).toMatchObject({ kind: 'auth-config' });
    expect((err as Error).message).toMatch(/not JSON|login URL/);
  });
});
