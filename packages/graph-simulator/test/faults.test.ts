import type { RunningSimulator } from '../src';
import { allPages, auditsUrl, getToken, graphGet, startHttp, TestClock, TENANT_ID, CLIENT_ID } from './helpers/sim';

jest.setTimeout(30_000);

describe('faults on demand', () => {
  const clock = new TestClock();
  let sim: RunningSimulator;
  let token: string;
  const url = (extra = '&$top=50') => `${auditsUrl(sim, clock.iso(-7200), clock.iso(-3600))}${extra}`;

  beforeAll(async () => {
    sim = await startHttp({ clock: clock.now, tokenLifetimeSeconds: 86400 });
    token = await getToken(sim);
  });
  afterEach(() => sim.setFaults({ http5xx: 0, http5xxWithRetryAfter: 0, resetMidBody: 0, slowResponse: 0, malformedJson: 0, truncatedPage: 0, foreignNextLink: 0, duplicateAcrossPages: 0, revokeTokenMidPagination: 0, unlicensedTenants: [] }));
  afterAll(() => sim.close());

  it('serves 5xx without and with Retry-After', async () => {
    sim.setFaults({ http5xx: 1 });
    const plain = await graphGet(url(), token);
    expect([500, 502, 503, 504]).toContain(plain.status);
    expect(plain.headers.get('retry-after')).toBeNull();
    sim.setFaults({ http5xx: 0, http5xxWithRetryAfter: 1 });
    const withRetry = await graphGet(url(), token);
    expect([500, 503]).toContain(withRetry.status);
    expect(Number(withRetry.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(withRetry.json().error.innerError['request-id']).toEqual(expect.any(String));
  });

  it('resets the connection mid-body', async () => {
    sim.setFaults({ resetMidBody: 1 });
    await expect(fetch(url(), { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text())).rejects.toThrow();
  });

  it('answers slowly when told to', async () => {
    sim.setFaults({ slowResponse: 1, slowResponseMs: 400 });
    const started = Date.now();
    expect((await graphGet(url(), token)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it('sends malformed JSON and truncated pages with status 200', async () => {
    for (const fault of ['malformedJson', 'truncatedPage'] as const) {
      sim.setFaults({ malformedJson: 0, truncatedPage: 0, [fault]: 1 });
      const res = await graphGet(url(), token);
      expect(res.status).toBe(200);
      expect(() => res.json()).toThrow();
    }
  });

  it('points nextLink at a foreign host', async () => {
    sim.setFaults({ foreignNextLink: 1 });
    const body = (await graphGet(url(), token)).json();
    expect(new URL(body['@odata.nextLink']).host).not.toBe(new URL(sim.url).host);
  });

  it('repeats records across pages', async () => {
    sim.setFaults({ duplicateAcrossPages: 1 });
    const pages = await allPages(url('&$top=20'), token);
    const ids = pages.flatMap((p) => p.value.map((r: { id: string }) => r.id));
    expect(new Set(ids).size).toBeLessThan(ids.length);
    const truth = sim.groundTruth({ source: 'directoryAudits', from: clock.iso(-7200), to: clock.iso(-3600) }).filter((r) => r.visible);
    expect(new Set(ids)).toEqual(new Set(truth.map((r) => r.id))); // nothing lost, only repeated
  });

  it('revokes the token mid-pagination (401), and a fresh token resumes', async () => {
    const own = await getToken(sim);
    const first = (await graphGet(url(), own)).json();
    sim.setFaults({ revokeTokenMidPagination: 1 });
    const revoked = await graphGet(first['@odata.nextLink'], own);
    expect(revoked.status).toBe(401);
    expect(revoked.json().error.code).toBe('InvalidAuthenticationToken');
    sim.setFaults({ revokeTokenMidPagination: 0 });
    expect((await graphGet(first['@odata.nextLink'], own)).status).toBe(401);
    expect((await graphGet(first['@odata.nextLink'], await getToken(sim))).status).toBe(200);
  });

  it('treats listed tenants as unlicensed', async () => {
    sim.setFaults({ unlicensedTenants: [TENANT_ID] });
    const res = await graphGet(url(), token);
    expect(res.status).toBe(403);
    expect(res.json().error.code).toBe('Authentication_RequestFromNonPremiumTenantOrB2CTenant');
  });

  it('counts faults in the statistics', () => {
    const stats = sim.stats();
    for (const kind of ['http5xx', 'http5xxWithRetryAfter', 'resetMidBody', 'slowResponse', 'malformedJson', 'truncatedPage', 'foreignNextLink', 'duplicateAcrossPages', 'revokeTokenMidPagination']) {
      expect({ kind, n: stats.faults[kind] ?? 0 }).toEqual({ kind, n: expect.any(Number) });
      expect(stats.faults[kind]).toBeGreaterThan(0);
    }
    expect(stats.byStatus['401']).toBeGreaterThan(0);
    expect(stats.tokensIssued).toBeGreaterThan(1);
  });
});

describe('/_simulator control endpoints', () => {
  it('serve ground truth, faults, stats and credentials over HTTP and validate input', async () => {
    const clock = new TestClock();
    const sim = await startHttp({ clock: clock.now });
    try {
      const from = clock.iso(-3600);
      const to = clock.iso(-1800);
      const records = (await (await fetch(`${sim.url}/_simulator/records?source=directoryAudits&tenant=${TENANT_ID}&from=${from}&to=${to}`)).json()) as any;
      expect(records.count).toBe(records.records.length);
      expect(records.records.map((r: { id: string }) => r.id)).toEqual(sim.groundTruth({ source: 'directoryAudits', from, to }).map((r) => r.id));
      expect(records.records[0]).toEqual({ id: expect.any(String), time: expect.any(String), visible: true, tenant: TENANT_ID });
      expect((await fetch(`${sim.url}/_simulator/records?source=nope&from=${from}&to=${to}`)).status).toBe(400);

      const set = await fetch(`${sim.url}/_simulator/faults`, { method: 'POST', body: JSON.stringify({ http5xx: 1 }) });
      expect(((await set.json()) as any).http5xx).toBe(1);
      const token = await getToken(sim);
      expect((await graphGet(auditsUrl(sim, from, to), token)).status).toBeGreaterThanOrEqual(500);
      const bad = await fetch(`${sim.url}/_simulator/faults`, { method: 'POST', body: JSON.stringify({ http5xx: 2 }) });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as any).error).toMatch(/http5xx/);

      const stats = (await (await fetch(`${sim.url}/_simulator/stats`)).json()) as any;
      expect(stats.faults.http5xx).toBe(1);
      expect(stats.requests).toBeGreaterThan(3);

      const expire = await fetch(`${sim.url}/_simulator/credentials`, { method: 'POST', body: JSON.stringify({ tenantId: TENANT_ID, clientId: CLIENT_ID, action: 'expire' }) });
      expect(expire.status).toBe(200);
      await expect(getToken(sim)).rejects.toThrow(/7000222/);
      await fetch(`${sim.url}/_simulator/credentials`, { method: 'POST', body: JSON.stringify({ tenantId: TENANT_ID, clientId: CLIENT_ID, action: 'rotate', value: 'rotated', expiresAt: clock.iso(86400) }) });
      expect(await getToken(sim, 'rotated')).toEqual(expect.any(String));
    } finally {
      await sim.close();
    }
  });
});
