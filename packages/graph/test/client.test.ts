import crypto from 'node:crypto';
import { GraphClient, GraphError, ThrottledError, closeTokenProviders, type GraphClientEvent, type GraphClientOptions, type GraphPage } from '../src';
import { newSecret, secretConnection } from './helpers/connection';
import { fixture, graphError, page, startFakeMicrosoft, type FakeMicrosoft, type Handler, type RecordedRequest } from './helpers/fake-microsoft';

const WINDOW = { source: 'directoryAudits' as const, from: '2026-11-01T00:00:00Z', to: '2026-11-01T06:00:00Z' };
const audits = fixture<{ value: Record<string, unknown>[] }>('directoryAudits-list-example.json').value;
const audit = (id: string) => ({ ...audits[0], id });

let ms: FakeMicrosoft;
let secret: string;
let events: GraphClientEvent[];
const clients: GraphClient[] = [];

async function serve(graph: Handler): Promise<void> {
  ms = await startFakeMicrosoft({ token: { secret }, graph });
}

function client(extra: Partial<GraphClientOptions> = {}): GraphClient {
  const c = new GraphClient({ connection: secretConnection(ms, secret), backoffBaseMs: 5, onEvent: (e) => events.push(e), ...extra });
  clients.push(c);
  return c;
}

async function collect(gen: AsyncGenerator<GraphPage>): Promise<{ pages: GraphPage[]; error?: GraphError }> {
  const pages: GraphPage[] = [];
  try {
    for await (const p of gen) pages.push(p);
  } catch (err) {
    return { pages, error: err as GraphError };
  }
  return { pages };
}

/** Serves `pages` as a chain of nextLinks on the same server, page n at ?$skiptoken=n. */
function chain(pages: Record<string, unknown>[][], override?: (n: number, req: RecordedRequest, attempt: number) => ReturnType<Handler> | undefined): Handler {
  const attempts = new Map<number, number>();
  return (req) => {
    const n = Number(req.url.searchParams.get('$skiptoken') ?? '0');
    const attempt = (attempts.get(n) ?? 0) + 1;
    attempts.set(n, attempt);
    const custom = override?.(n, req, attempt);
    if (custom) return custom;
    const next = n + 1 < pages.length ? `${ms.url}/v1.0/auditLogs/directoryAudits?$top=2&$skiptoken=${n + 1}` : undefined;
    return page(pages[n], next ? { '@odata.nextLink': next } : {});
  };
}

beforeEach(() => {
  secret = newSecret();
  events = [];
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await ms?.close();
});
afterAll(() => closeTokenProviders());

describe('window pages', () => {
  it('sends the window filter, follows nextLinks exactly, one token for all pages, a fresh client-request-id per request', async () => {
    await serve(chain([[audit('a1'), audit('a2')], [audit('a3')], []]));
    const { pages, error } = await collect(client().windowPages(WINDOW));
    expect(error).toBeUndefined();
    expect(pages.map((p) => p.records.map((r) => r.id))).toEqual([['a1', 'a2'], ['a3'], []]);
    expect(pages.map((p) => p.pageIndex)).toEqual([0, 1, 2]);
    expect(pages[0].nextLink).toBe(`${ms.url}/v1.0/auditLogs/directoryAudits?$top=2&$skiptoken=1`);
    expect(pages[0].bytes).toBeGreaterThan(100);
    expect(pages[0].requestId).toMatch(/^[0-9a-f-]{36}$/);

    const reqs = ms.graphRequests();
    expect(reqs).toHaveLength(3);
    expect(reqs[0].url.searchParams.get('$filter')).toBe('activityDateTime ge 2026-11-01T00:00:00Z and activityDateTime le 2026-11-01T06:00:00Z');
    expect(reqs[1].url.href).toBe(pages[0].nextLink);
    const ids = reqs.map((r) => r.headers['client-request-id']);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(3);
    expect(new Set(reqs.map((r) => r.headers.authorization))).toEqual(new Set([`Bearer ${ms.issuedTokens[0]}`]));
    expect(ms.tokenRequests()).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'page')).toEqual([{ kind: 'page', records: 2 }, { kind: 'page', records: 1 }, { kind: 'page', records: 0 }]);
  });

  it('pages are pulled one at a time: the next request goes out only when the consumer asks', async () => {
    await serve(chain([[audit('a1')], [audit('a2')], [audit('a3')]]));
    const gen = client().windowPages(WINDOW);
    await gen.next();
    expect(ms.graphRequests()).toHaveLength(1);
    await gen.return(undefined);
    expect(ms.graphRequests()).toHaveLength(1);
  });

  it('resumes from a nextLink of an earlier read', async () => {
    await serve(chain([[audit('a1')], [audit('a2')], [audit('a3')]]));
    const { pages } = await collect(client().windowPages(WINDOW, { resumeFrom: `${ms.url}/v1.0/auditLogs/directoryAudits?$top=2&$skiptoken=1` }));
    expect(pages.flatMap((p) => p.records.map((r) => r.id))).toEqual(['a2', 'a3']);
  });

  it('keeps each page\'s body as sent (without a byte-order mark), and a body with one still parses', async () => {
    const text = JSON.stringify({ value: [audit('a1')] }, null, 2);
    await serve(() => ({ status: 200, body: `\ufeff${text}` }));
    const { pages, error } = await collect(client().windowPages(WINDOW));
    expect(error).toBeUndefined();
    expect(pages[0]!.records.map((r) => r.id)).toEqual(['a1']);
    expect(pages[0]!.body.toString('utf8')).toBe(text);
    expect(pages[0]!.bytes).toBe(Buffer.byteLength(text));
  });

  it('sign-ins from the documented sample, v1.0 and beta paths', async () => {
    const signIns = fixture('signIns-list-example.json');
    await serve(() => ({ status: 200, body: { ...signIns, '@odata.nextLink': undefined } }));
    const c = client();
    const v1 = await collect(c.windowPages({ ...WINDOW, source: 'signIns' }));
    const beta = await collect(c.windowPages({ ...WINDOW, source: 'signIns', beta: true }));
    expect(v1.pages[0].records[0].id).toBe('66ea54eb-6301-4ee5-be62-ff5a759b0100');
    expect(beta.pages).toHaveLength(1);
    expect(ms.graphRequests().map((r) => r.url.pathname)).toEqual(['/v1.0/auditLogs/signIns', '/beta/auditLogs/signIns']);
    expect(ms.graphRequests()[1].url.searchParams.get('$filter')).toContain("signInEventTypes/any(t: t eq 'interactiveUser'");
  });
});

describe('errors', () => {
  it('403 Authorization_RequestDenied → permission-missing naming the permissions, with Graph request-id', async () => {
    const denied = graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    await serve(() => denied);
    const { error } = await collect(client().windowPages(WINDOW));
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ kind: 'permission-missing', retryable: false, status: 403, graphCode: 'Authorization_RequestDenied', requestId: denied.headers?.['request-id'] });
    expect(error?.message).toMatch(/AuditLog\.Read\.All and Directory\.Read\.All with admin consent/);
    expect(error?.message).toContain(denied.headers?.['request-id']);
    expect(error?.clientRequestId).toBe(ms.graphRequests()[0].headers['client-request-id']);
    expect(ms.graphRequests()).toHaveLength(1);
  });

  it('403 Authentication_MSGraphPermissionMissing on users → User.Read.All', async () => {
    await serve(() => graphError(403, 'Authentication_MSGraphPermissionMissing', 'Calling principal does not have required MSGraph permissions', { innerKey: 'innererror' }));
    const { error } = await collect(client().deltaPages('users'));
    expect(error).toMatchObject({ kind: 'permission-missing' });
    expect(error?.message).toMatch(/permission User\.Read\.All/);
  });

  it('403 non-premium tenant (documented sample) → license-missing', async () => {
    await serve(() => ({ status: 403, body: fixture('graph-error-nonpremium-tenant-example.json') }));
    const { error } = await collect(client().windowPages({ ...WINDOW, source: 'signIns' }));
    expect(error).toMatchObject({ kind: 'license-missing', retryable: false, requestId: '73badd94-c0ca-4b09-a3e6-20c1f5f9a307' });
    expect(error?.message).toMatch(/Entra ID P1 or P2/);
  });

  it('400 bad filter → bad-request, not retried', async () => {
    await serve(() => graphError(400, 'BadRequest', 'Invalid filter clause'));
    const { error } = await collect(client().windowPages(WINDOW));
    expect(error).toMatchObject({ kind: 'bad-request', retryable: false });
    expect(error?.message).toContain('Invalid filter clause');
    expect(ms.graphRequests()).toHaveLength(1);
  });

  it('400 invalid skip token mid-window → skiptoken-invalid after the good pages were yielded', async () => {
    await serve(chain([[audit('a1')], [audit('a2')]], (n) => (n === 1 ? graphError(400, 'BadRequest', 'Invalid Skip Token') : undefined)));
    const { pages, error } = await collect(client().windowPages(WINDOW));
    expect(pages.flatMap((p) => p.records.map((r) => r.id))).toEqual(['a1']);
    expect(error).toMatchObject({ kind: 'skiptoken-invalid' });
    expect(error?.message).toMatch(/read the window again from its start/);
  });

  it('skip-token codes are recognised by code; the same generic wording without a skip token stays bad-request', async () => {
    await serve(chain([[audit('a1')], [audit('a2')]], (n) => (n === 1 ? graphError(400, 'Directory_ExpiredPageToken', 'The specified page token value has expired') : undefined)));
    expect((await collect(client().windowPages(WINDOW))).error).toMatchObject({ kind: 'skiptoken-invalid' });
    ms.setGraph(() => graphError(400, 'BadRequest', 'Invalid Skip Token'));
    expect((await collect(client().windowPages(WINDOW))).error).toMatchObject({ kind: 'bad-request' });
  });

  it('a nextLink to another origin is refused before anything is sent to it', async () => {
    const other = await startFakeMicrosoft({ graph: () => page([audit('stolen')]) });
    try {
      for (const foreign of [`${other.url}/v1.0/auditLogs/directoryAudits?$skiptoken=1`, ms?.url ? '' : '', 'http://127.0.0.1:1/v1.0/x'].filter(Boolean)) {
        await ms?.close();
        await serve(() => page([audit('a1')], { '@odata.nextLink': foreign }));
        const { pages, error } = await collect(client().windowPages(WINDOW));
        expect(pages).toHaveLength(1);
        expect(error).toMatchObject({ kind: 'foreign-next-link', retryable: false });
        expect(error?.message).toContain(`only ${ms.url} is trusted`);
      }
      // A resumed read and a delta link are checked the same way.
      expect((await collect(client().windowPages(WINDOW, { resumeFrom: `${other.url}/v1.0/auditLogs/directoryAudits` }))).error).toMatchObject({ kind: 'foreign-next-link' });
      expect((await collect(client().deltaPages('users', { deltaLink: `${other.url}/v1.0/users/delta?$deltatoken=x` }))).error).toMatchObject({ kind: 'foreign-next-link' });
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('a malformed page is retried; persistently malformed → malformed-response', async () => {
    await serve(chain([[audit('a1')], [audit('a2')]], (n, _req, attempt) => (n === 1 && attempt === 1 ? { status: 200, body: '{"value":[{"id":"a2"' } : undefined)));
    const ok = await collect(client().windowPages(WINDOW));
    expect(ok.error).toBeUndefined();
    expect(ok.pages.flatMap((p) => p.records.map((r) => r.id))).toEqual(['a1', 'a2']);
    expect(events).toContainEqual({ kind: 'retry', reason: 'malformed-response', attempt: 1 });

    ms.setGraph(() => ({ status: 200, body: { value: 'not an array' } }));
    const before = ms.graphRequests().length;
    const bad = await collect(client({ maxTransientRetries: 2 }).windowPages(WINDOW));
    expect(bad.error).toMatchObject({ kind: 'malformed-response', retryable: true });
    expect(bad.error?.message).toMatch(/no "value" array/);
    expect(ms.graphRequests().length - before).toBe(3);
  });

  it('401 mid-pagination: one fresh token, the same page again, and the read goes on', async () => {
    await serve(chain([[audit('a1')], [audit('a2')], [audit('a3')]], (n, req, attempt) =>
      (n === 1 && attempt === 1 ? graphError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.') : undefined)));
    const { pages, error } = await collect(client().windowPages(WINDOW));
    expect(error).toBeUndefined();
    expect(pages.flatMap((p) => p.records.map((r) => r.id))).toEqual(['a1', 'a2', 'a3']);
    expect(ms.tokenRequests()).toHaveLength(2);
    const auth = ms.graphRequests().map((r) => r.headers.authorization);
    expect(auth).toEqual([`Bearer ${ms.issuedTokens[0]}`, `Bearer ${ms.issuedTokens[0]}`, `Bearer ${ms.issuedTokens[1]}`, `Bearer ${ms.issuedTokens[1]}`]);
  });

  it('a second 401 in a row → unauthorized, with only one refresh', async () => {
    await serve(() => graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.'));
    const { error } = await collect(client().windowPages(WINDOW));
    expect(error).toMatchObject({ kind: 'unauthorized', retryable: false, status: 401 });
    expect(ms.graphRequests()).toHaveLength(2);
    expect(ms.tokenRequests()).toHaveLength(2);
  });

  it('404 → not-found; 410 syncStateNotFound on delta → sync-state-not-found', async () => {
    await serve(() => graphError(404, 'Request_ResourceNotFound', 'Resource does not exist'));
    expect((await client().getApplicationCredentials(crypto.randomUUID()).catch((e: GraphError) => e))).toMatchObject({ kind: 'not-found' });
    ms.setGraph(() => graphError(410, 'syncStateNotFound', 'The sync state cannot be found.'));
    expect((await collect(client().deltaPages('users', { deltaLink: `${ms.url}/v1.0/users/delta?$deltatoken=old` }))).error).toMatchObject({ kind: 'sync-state-not-found', retryable: false });
  });

  it('cloud china: audit logs and sign-ins are refused up front as unsupported-in-cloud', async () => {
    await serve(() => page([]));
    const china = new GraphClient({ connection: { ...secretConnection(ms, secret), cloud: 'china', loginUrl: undefined, graphUrl: undefined } });
    clients.push(china);
    expect((await collect(china.windowPages(WINDOW))).error).toMatchObject({ kind: 'unsupported-in-cloud' });
    await expect(china.probe('signIns')).rejects.toMatchObject({ kind: 'unsupported-in-cloud', message: expect.stringMatching(/does not offer signIns/) });
  });
});

describe('throttling and transient failures', () => {
  it('429 with a short Retry-After (documented body) is waited out inline and reported', async () => {
    let calls = 0;
    await serve(() => (++calls === 1 ? { status: 429, headers: { 'retry-after': '0.3' }, body: fixture('graph-error-throttled-429-example.json') } : page([audit('a1')])));
    const started = Date.now();
    const { pages, error } = await collect(client().windowPages(WINDOW));
    expect(error).toBeUndefined();
    expect(pages).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(events).toContainEqual({ kind: 'throttled', waitMs: 300, source: 'retry-after' });
    // Each HTTP exchange is reported with its status (the metrics count 429s and time requests from these).
    const responses = events.filter((e) => e.kind === 'response');
    expect(responses.map((e) => [e.resource, e.status])).toEqual([['directoryAudits', 429], ['directoryAudits', 200]]);
    expect(responses.every((e) => e.durationMs >= 0 && e.durationMs < 10_000)).toBe(true);
  });

  it('429 with a long Retry-After → ThrottledError carrying retryAfterMs, without waiting', async () => {
    await serve(() => ({ status: 429, headers: { 'retry-after': '120' }, body: fixture('graph-error-throttled-429-example.json') }));
    const started = Date.now();
    const { error } = await collect(client().windowPages(WINDOW));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toMatchObject({ kind: 'throttled', retryable: true, retryAfterMs: 120_000, graphCode: 'TooManyRequests' });
  });

  it('5xx and connection resets are retried inline; persistent 503 → transient after the retry budget', async () => {
    let calls = 0;
    await serve(() => {
      calls++;
      if (calls === 1) return { status: 503, body: '' };
      if (calls === 2) return { status: 200, reset: true };
      if (calls === 3) return graphError(504, 'GatewayTimeout', 'gateway');
      return page([audit('a1')]);
    });
    const ok = await collect(client().windowPages(WINDOW));
    expect(ok.error).toBeUndefined();
    expect(events.filter((e) => e.kind === 'retry').map((e) => (e as { reason: string }).reason)).toEqual(['http-503', expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET|SocketError/), 'http-504']);

    ms.setGraph(() => ({ status: 503, body: '' }));
    const before = ms.graphRequests().length;
    const bad = await collect(client({ maxTransientRetries: 3 }).windowPages(WINDOW));
    expect(bad.error).toMatchObject({ kind: 'transient', retryable: true, status: 503 });
    expect(ms.graphRequests().length - before).toBe(4);
  });

  it('a 503 asking for a pause longer than the inline limit is handed to the caller with retryAfterMs', async () => {
    await serve(() => graphError(503, 'serviceNotAvailable', 'The service is temporarily unavailable.', { headers: { 'retry-after': '90' } }));
    const started = Date.now();
    const { error } = await collect(client({ maxInlineRetryAfterMs: 5_000 }).windowPages(WINDOW));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toMatchObject({ kind: 'transient', retryable: true, retryAfterMs: 90_000, status: 503 });
    expect(ms.graphRequests()).toHaveLength(1);
  });

  it('a server that never answers hits the headers timeout', async () => {
    await serve(() => ({ status: 200, hang: true }));
    const c = new GraphClient({ connection: { ...secretConnection(ms, secret), timeouts: { headersMs: 200 } }, maxTransientRetries: 1, backoffBaseMs: 5, onEvent: (e) => events.push(e) });
    clients.push(c);
    const { error } = await collect(c.windowPages(WINDOW));
    expect(error).toMatchObject({ kind: 'transient' });
    expect(events).toContainEqual({ kind: 'retry', reason: 'UND_ERR_HEADERS_TIMEOUT', attempt: 1 });
  });

  it('the caller\'s AbortSignal stops a Retry-After wait at once', async () => {
    await serve(() => ({ status: 429, headers: { 'retry-after': '20' }, body: fixture('graph-error-throttled-429-example.json') }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('activity cancelled')), 100);
    const started = Date.now();
    const { error } = await collect(client().windowPages(WINDOW, { signal: controller.signal }));
    expect((error as unknown as Error).message).toBe('activity cancelled');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('client-side rate limit: 3 requests per 400 ms shared by two clients of the same app', async () => {
    await serve(() => page([]));
    const conn = secretConnection(ms, secret);
    const a = new GraphClient({ connection: conn, rateLimit: { requests: 3, perMs: 400 } });
    const b = new GraphClient({ connection: conn, rateLimit: { requests: 3, perMs: 400 } });
    clients.push(a, b);
    await client().probe('users'); // warm the shared token with an unlimited client, so timing measures only the bucket
    const started = Date.now();
    await Promise.all([a.probe('users'), a.probe('users'), a.probe('users'), b.probe('users'), b.probe('users'), b.probe('users')]);
    // 6 requests with a bucket of 3 per 400 ms: the last three wait for refills.
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });
});

describe('delta and lookups', () => {
  it('users delta: nextLink then deltaLink (documented samples), with $select', async () => {
    const first = fixture<Record<string, unknown>>('users-delta-nextlink-response-example.json');
    const last = fixture<Record<string, unknown>>('users-delta-final-page-deltalink-example.json');
    const local = (link: unknown) => String(link).replace('https://graph.microsoft.com', ms.url);
    await serve((req) => (req.url.searchParams.has('$skiptoken')
      ? { status: 200, body: { ...last, '@odata.deltaLink': local(last['@odata.deltaLink']) } }
      : { status: 200, body: { ...first, '@odata.nextLink': local(first['@odata.nextLink']) } }));
    const { pages, error } = await collect(client().deltaPages('users', { select: ['id', 'displayName'] }));
    expect(error).toBeUndefined();
    expect(pages.map((p) => [p.records.length, !!p.nextLink, !!p.deltaLink])).toEqual([[2, true, false], [(last.value as unknown[]).length, false, true]]);
    expect(pages[1].deltaLink).toContain('$deltatoken=');
    expect(ms.graphRequests()[0].url.searchParams.get('$select')).toBe('id,displayName');
  });

  it('application credentials by appId, and probe', async () => {
    const app = fixture('application-get-example.json');
    await serve((req) => (req.url.pathname.startsWith('/v1.0/applications') ? { status: 200, body: { value: [{ ...app, passwordCredentials: [{ keyId: 'k1', endDateTime: '2027-01-01T00:00:00Z' }] }] } } : page([])));
    const appId = crypto.randomUUID();
    const creds = await client().getApplicationCredentials(appId);
    expect(creds).toEqual({ passwordCredentials: [{ keyId: 'k1', endDateTime: '2027-01-01T00:00:00Z' }], keyCredentials: [] });
    expect(ms.graphRequests()[0].url.pathname).toBe('/v1.0/applications');
    expect(ms.graphRequests()[0].url.searchParams.get('$filter')).toBe(`appId eq '${appId}'`);
    await client().probe('directoryAudits');
    expect(ms.graphRequests()[1].url.searchParams.get('$top')).toBe('1');
  });
});
