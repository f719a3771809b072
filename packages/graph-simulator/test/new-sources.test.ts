import { SOURCE_SPECS } from '@entra-ingest/sources';
import { allPages as pagesOnce, getToken, graphGet, startHttp, TestClock, TENANT } from './helpers/sim';
import { demoTenant, type RunningSimulator } from '../src';

/** Pages to the end; a pooled connection the server closed while idle (on a loaded machine) is retried once. */
async function allPages(firstUrl: string, token: string): Promise<any[]> {
  try {
    return await pagesOnce(firstUrl, token);
  } catch (err) {
    if (!/fetch failed/.test(String(err))) throw err;
    return pagesOnce(firstUrl, token);
  }
}

const LOGS = ['provisioning', 'riskDetections', 'servicePrincipalRiskDetections', 'riskyUsers', 'riskyServicePrincipals'] as const;

function logUrl(sim: RunningSimulator, source: (typeof LOGS)[number], from: string, to: string, top?: number): string {
  const spec = SOURCE_SPECS[source];
  const filter = `${spec.timeField} ge ${from} and ${spec.timeField} le ${to}`;
  return `${sim.url}/${spec.graph.version}/${spec.graph.path}?$filter=${encodeURIComponent(filter)}${top ? `&$top=${top}` : ''}`;
}

describe('the registry\'s newer sources on the simulator', () => {
  const clock = new TestClock();
  let sim: RunningSimulator;
  let token: string;

  beforeAll(async () => {
    sim = await startHttp({ clock: clock.now, eventsPerMinute: 30, riskPerMinute: 1, seed: 11 });
    token = await getToken(sim);
  });
  afterAll(() => sim.close());

  it.each(LOGS)('%s: pages a window on its time field and serves the current version of each visible record', async (source) => {
    // Up to now: risky users and service principals are one record each, whose newest version is usually recent.
    const from = clock.iso(-3 * 3600);
    const to = clock.iso(0);
    const pages = await allPages(logUrl(sim, source, from, to, 40), token);
    const served = pages.flatMap((p) => p.value as Record<string, unknown>[]);
    const field = SOURCE_SPECS[source].timeField;
    expect(served.length).toBeGreaterThan(0);
    for (const p of pages) expect(p.value.length).toBeLessThanOrEqual(40);
    for (const r of served) {
      const t = Date.parse(String(r[field]));
      expect(t).toBeGreaterThanOrEqual(Date.parse(from) - 1);
      expect(t).toBeLessThanOrEqual(Date.parse(to) + 1);
    }
    // One record per key, and each the newest visible version ground truth knows for it.
    const ids = served.map((r) => String(r.id));
    expect(new Set(ids).size).toBe(ids.length);
    const truth = sim.groundTruth({ source, from: clock.iso(-5 * 3600), to: clock.iso(0) }).filter((v) => v.visible);
    const latest = new Map<string, string>();
    for (const v of truth) latest.set(v.id, v.time);
    for (const r of served) expect(String(r[field])).toBe(latest.get(String(r.id)));
  });

  it('a risk detection that changed is served only as its newest version, in the window of its last update', async () => {
    const truth = sim.groundTruth({ source: 'riskDetections', from: clock.iso(-12 * 3600), to: clock.iso(-2 * 3600) });
    const counts = new Map<string, number>();
    for (const v of truth) counts.set(v.id, (counts.get(v.id) ?? 0) + 1);
    const changed = truth.find((v) => counts.get(v.id)! >= 2)!;
    const first = truth.find((v) => v.id === changed.id)!;
    expect(first.version).toBe(`${first.id}@${first.time}`);
    // Its first version's window no longer holds it: Graph shows current state only.
    const t = Date.parse(first.time);
    const old = (await allPages(logUrl(sim, 'riskDetections', new Date(t - 1000).toISOString(), new Date(t + 1000).toISOString()), token)).flatMap((p) => p.value);
    expect(old.map((r: { id: string }) => r.id)).not.toContain(changed.id);
  });

  it('rejects a page larger than the source allows, as Graph does', async () => {
    const res = await graphGet(logUrl(sim, 'riskyUsers', clock.iso(-3600), clock.iso(0), 501), token);
    expect(res.status).toBe(400);
    expect(res.json().error.message).toMatch(/limit of '500'/);
  });

  it('serves devices/delta: every device on the first round, a deltaLink, nothing new on the next', async () => {
    const pages = await allPages(`${sim.url}/v1.0/devices/delta`, token);
    const devices = pages.flatMap((p) => p.value);
    expect(devices.length).toBe(sim.groundTruth({ source: 'devices', from: clock.iso(-3600), to: clock.iso(0) }).length);
    expect(devices[0]).toMatchObject({ id: expect.any(String), deviceId: expect.any(String), operatingSystem: expect.any(String) });
    const deltaLink = pages[pages.length - 1]['@odata.deltaLink'] as string;
    const next = await graphGet(deltaLink, token);
    expect(next.json().value).toEqual([]);
  });
});

describe('permissions and licences come from the registry', () => {
  it.each([
    ['riskDetections', 'identityProtection/riskDetections', 'IdentityRiskEvent.Read.All'],
    ['riskyUsers', 'identityProtection/riskyUsers', 'IdentityRiskyUser.Read.All'],
    ['riskyServicePrincipals', 'identityProtection/riskyServicePrincipals', 'IdentityRiskyServicePrincipal.Read.All'],
    ['servicePrincipalRiskDetections', 'identityProtection/servicePrincipalRiskDetections', 'IdentityRiskyServicePrincipal.Read.All'],
    ['devices', 'devices/delta', 'Device.Read.All'],
    ['provisioning', 'auditLogs/provisioning', 'AuditLog.Read.All'],
  ])('%s without %s → 403 Authorization_RequestDenied in Graph\'s envelope', async (_source, path, permission) => {
    const tenant = demoTenant({ clientSecret: 'test-secret-value', permissions: ['User.Read.All', 'Application.Read.All'] });
    const sim = await startSimulator403(tenant);
    try {
      const token = await getToken(sim);
      const res = await graphGet(`${sim.url}/v1.0/${path}`, token);
      expect(res.status).toBe(403);
      expect(res.json().error.code).toBe('Authorization_RequestDenied');
      expect(permission).toBeTruthy();
    } finally {
      await sim.close();
    }
  });

  it('risk needs P2: a P1 tenant gets the non-premium 403 on risk and reads provisioning', async () => {
    const sim = await startHttp({ tenants: [{ ...TENANT, licence: 'P1' }], riskPerMinute: 1 });
    try {
      const token = await getToken(sim);
      const risk = await graphGet(`${sim.url}/v1.0/identityProtection/riskDetections`, token);
      expect(risk.status).toBe(403);
      expect(risk.json().error.code).toBe('Authentication_RequestFromNonPremiumTenantOrB2CTenant');
      expect((await graphGet(`${sim.url}/v1.0/auditLogs/provisioning`, token)).status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});

function startSimulator403(tenant: ReturnType<typeof demoTenant>): Promise<RunningSimulator> {
  return startHttp({ tenants: [tenant] });
}
