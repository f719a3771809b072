import { demoTenant, type RunningSimulator } from '../src';
import { clientAssertion, makeCert, type TestCert } from './helpers/cert';
import { auditsUrl, CLIENT_ID, getToken, graphGet, SECRET, startHttp, TestClock, tokenRequest, TENANT_ID } from './helpers/sim';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

describe('token endpoint', () => {
  const clock = new TestClock();
  let sim: RunningSimulator;
  let cert: TestCert;
  let otherCert: TestCert;

  beforeAll(async () => {
    [cert, otherCert] = await Promise.all([makeCert(), makeCert('someone else')]);
    sim = await startHttp({ clock: clock.now, tenants: [demoTenant({ clientSecret: SECRET, certificatePem: cert.certPem })] });
  });
  afterAll(() => sim.close());

  const secretParams = (overrides: Record<string, string> = {}) => ({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET, scope: `${sim.url}/.default`, ...overrides });
  const codeOf = (body: Record<string, unknown>) => (body.error_codes as number[])[0];

  it('issues a bearer token for the client secret, with the configured lifetime range', async () => {
    const { status, body } = await tokenRequest(sim, secretParams());
    expect(status).toBe(200);
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBeGreaterThanOrEqual(3600);
    expect(body.expires_in).toBeLessThanOrEqual(5400);
    const claims = JSON.parse(Buffer.from(String(body.access_token).split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ tid: TENANT_ID, appid: CLIENT_ID, aud: sim.url });
    expect(claims.roles).toContain('AuditLog.Read.All');
    expect(claims.exp - claims.iat).toBe(body.expires_in);
  });

  it('answers each credential mistake with Entra error codes', async () => {
    const bad = await tokenRequest(sim, secretParams({ client_secret: 'wrong' }));
    expect(bad.status).toBe(401);
    expect(bad.body.error).toBe('invalid_client');
    expect(codeOf(bad.body)).toBe(7000215);
    expect(String(bad.body.error_description)).toMatch(/^AADSTS7000215: Invalid client secret provided/);
    expect(bad.body.trace_id).toEqual(expect.any(String));
    expect(codeOf((await tokenRequest(sim, secretParams(), '00000000-1111-2222-3333-444444444444')).body)).toBe(90002);
    expect(codeOf((await tokenRequest(sim, secretParams({ client_id: '99999999-1111-2222-3333-444444444444' }))).body)).toBe(700016);
    const scope = await tokenRequest(sim, secretParams({ scope: 'https://graph.microsoft.com/.default' }));
    expect(scope.status).toBe(400);
    expect(scope.body.error).toBe('invalid_scope');
    expect(codeOf(scope.body)).toBe(70011);
  });

  it('reports an expired secret with AADSTS7000222 and accepts a rotated one', async () => {
    const sim2 = await startHttp({ clock: clock.now });
    try {
      sim2.expireSecret(TENANT_ID, CLIENT_ID);
      const expired = await tokenRequest(sim2, { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET, scope: `${sim2.url}/.default` });
      expect(expired.status).toBe(401);
      expect(codeOf(expired.body)).toBe(7000222);
      sim2.rotateSecret(TENANT_ID, CLIENT_ID, 'new-secret', clock.iso(86400 * 90));
      expect(codeOf((await tokenRequest(sim2, { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET, scope: `${sim2.url}/.default` })).body)).toBe(7000215);
      expect(await getToken(sim2, 'new-secret')).toEqual(expect.any(String));
    } finally {
      await sim2.close();
    }
  });

  it('accepts certificate assertions signed RS256 (x5t) and PS256 (x5t#S256)', async () => {
    const audience = `${sim.url}/${TENANT_ID}/oauth2/v2.0/token`;
    for (const alg of ['RS256', 'PS256'] as const) {
      const assertion = clientAssertion({ ...cert, clientId: CLIENT_ID, audience, alg, nowMs: clock.ms });
      const { status, body } = await tokenRequest(sim, { grant_type: 'client_credentials', client_id: CLIENT_ID, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion, scope: `${sim.url}/.default` });
      expect({ alg, status }).toEqual({ alg, status: 200 });
      expect(JSON.parse(Buffer.from(String(body.access_token).split('.')[1], 'base64url').toString()).appidacr).toBe('2');
    }
  });

  it('rejects forged, misaddressed and expired assertions', async () => {
    const audience = `${sim.url}/${TENANT_ID}/oauth2/v2.0/token`;
    const post = (assertion: string) => tokenRequest(sim, { grant_type: 'client_credentials', client_id: CLIENT_ID, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion, scope: `${sim.url}/.default` });
    // Signed by another key but claiming the configured certificate's thumbprint.
    const forged = clientAssertion({ keyPem: otherCert.keyPem, certPem: cert.certPem, clientId: CLIENT_ID, audience, nowMs: clock.ms });
    expect(codeOf((await post(forged)).body)).toBe(700027);
    const unknownKey = clientAssertion({ ...otherCert, clientId: CLIENT_ID, audience, nowMs: clock.ms });
    expect(codeOf((await post(unknownKey)).body)).toBe(700027);
    const wrongAud = clientAssertion({ ...cert, clientId: CLIENT_ID, audience: 'https://login.microsoftonline.com/x/oauth2/v2.0/token', nowMs: clock.ms });
    expect((await post(wrongAud)).status).toBe(401);
    const wrongIss = clientAssertion({ ...cert, clientId: CLIENT_ID, audience, nowMs: clock.ms, claims: { iss: 'someone' } });
    expect(codeOf((await post(wrongIss)).body)).toBe(700021);
    const expired = clientAssertion({ ...cert, clientId: CLIENT_ID, audience, nowMs: clock.ms - 3600_000 });
    expect(codeOf((await post(expired)).body)).toBe(700024);
    const noJti = clientAssertion({ ...cert, clientId: CLIENT_ID, audience, nowMs: clock.ms, claims: { jti: '' } });
    expect((await post(noJti)).status).toBe(401);
  });
});

describe('Graph bearer checks', () => {
  const clock = new TestClock();
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startHttp({ clock: clock.now, tokenLifetimeSeconds: 600 });
  });
  afterAll(() => sim.close());

  const url = () => auditsUrl(sim, clock.iso(-3600), clock.iso(-1800));

  it('returns 401 InvalidAuthenticationToken for missing, foreign and expired tokens', async () => {
    const missing = await fetch(url());
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as any).error.code).toBe('InvalidAuthenticationToken');
    const other = await startHttp({ clock: clock.now });
    try {
      const foreign = await getToken(other); // signed by another simulator: wrong key and audience
      expect((await graphGet(url(), foreign)).status).toBe(401);
    } finally {
      await other.close();
    }
    const token = await getToken(sim);
    expect((await graphGet(url(), token)).status).toBe(200);
    clock.advance(601);
    const expired = await graphGet(url(), token);
    expect(expired.status).toBe(401);
    expect(expired.json().error.message).toMatch(/expired/);
  });

  it('returns 403 Authorization_RequestDenied without the permission, and the non-premium error when unlicensed', async () => {
    const limited = await startHttp({ clock: clock.now, tenants: [demoTenant({ clientSecret: SECRET, permissions: ['User.Read.All'] })] });
    try {
      const res = await graphGet(auditsUrl(limited, clock.iso(-3600), clock.iso(0)), await getToken(limited));
      expect(res.status).toBe(403);
      expect(res.json().error.code).toBe('Authorization_RequestDenied');
      expect((await graphGet(`${limited.url}/v1.0/users/delta`, await getToken(limited))).status).toBe(200);
    } finally {
      await limited.close();
    }
    const token = await getToken(sim);
    sim.setLicensed(TENANT_ID, false);
    const unlicensed = await graphGet(url(), token);
    expect(unlicensed.status).toBe(403);
    expect(unlicensed.json().error.code).toBe('Authentication_RequestFromNonPremiumTenantOrB2CTenant');
    sim.setLicensed(TENANT_ID, true);
    expect((await graphGet(url(), token)).status).toBe(200);
  });
});

describe('throttling', () => {
  it('answers the 6th reports request within 10 s for one tenant with 429 and Retry-After', async () => {
    const clock = new TestClock();
    const sim = await startHttp({ clock: clock.now, throttle: { enabled: true } });
    try {
      const token = await getToken(sim);
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof graphGet>> | undefined;
      for (let i = 0; i < 6; i++) {
        clock.advance(1);
        last = await graphGet(auditsUrl(sim, clock.iso(-600), clock.iso(-300)), token);
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      const retryAfter = Number(last?.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(5); // the first request leaves the window 5 s later
      expect(last?.json().error.code).toBe('TooManyRequests');
      clock.advance(retryAfter);
      expect((await graphGet(auditsUrl(sim, clock.iso(-600), clock.iso(-300)), token)).status).toBe(200);
      expect(sim.stats().throttled).toBe(1);
      // Delta queries are not under the reports limits.
      for (let i = 0; i < 8; i++) expect((await graphGet(`${sim.url}/v1.0/users/delta`, token)).status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});
