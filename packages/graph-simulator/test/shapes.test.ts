/**
 * Responses compared with Microsoft's documented samples (copied into fixtures/): same property names and
 * JSON types at every level.
 */
import type { RunningSimulator } from '../src';
import { fixture, getToken, graphGet, SECRET, startHttp, TestClock, tokenRequest, CLIENT_ID, TENANT_ID } from './helpers/sim';
import { shapeDifferences } from './helpers/shape';

jest.setTimeout(30_000);

function withoutKeys(obj: any, keys: string[]): any {
  const copy = { ...obj };
  for (const k of keys) delete copy[k];
  return copy;
}

describe('response shapes match the Microsoft samples', () => {
  const clock = new TestClock();
  let sim: RunningSimulator;
  let token: string;

  beforeAll(async () => {
    sim = await startHttp({ clock: clock.now, eventsPerMinute: 200, tokenLifetimeSeconds: 10 * 86400 });
    token = await getToken(sim);
  });
  afterAll(() => sim.close());

  it('directoryAudits: records exactly like the v1.0 sample, across the whole activity mix', async () => {
    const page = (await graphGet(`${sim.url}/v1.0/auditLogs/directoryAudits?$top=1000`, token)).json();
    expect(page.value.length).toBeGreaterThan(980); // Graph's pages are not always full
    const v1 = fixture('directoryAudits-list-filter-initiatedBy-example.json') as any;
    expect(shapeDifferences(withoutKeys(v1, ['@microsoft.graph.tips']), page)).toEqual([]);
    const reference = v1.value[0];
    const diffs = page.value.flatMap((r: unknown) => shapeDifferences(reference, r, { exact: true, ignore: ['$.initiatedBy.app'] }));
    expect([...new Set(diffs)]).toEqual([]);
    // The older sample writes target `Type`; compare case-insensitively (our records are a superset of it).
    const old = fixture('directoryAudits-list-example.json') as any;
    expect([...new Set(page.value.flatMap((r: unknown) => shapeDifferences(old.value[0], r, { caseInsensitive: true })))]).toEqual([]);
    expect(page.value.some((r: any) => r.initiatedBy.app !== null && r.initiatedBy.user === null)).toBe(true);
    expect(page.value.some((r: any) => r.result === 'failure')).toBe(true);
    const appInitiated = page.value.find((r: any) => r.initiatedBy.app !== null);
    expect(Object.keys(appInitiated.initiatedBy.app).sort()).toEqual(['appId', 'displayName', 'servicePrincipalId', 'servicePrincipalName']);
  });

  it('signIns: records exactly like the v1.0 sample', async () => {
    const page = (await graphGet(`${sim.url}/v1.0/auditLogs/signIns?$top=300`, token)).json();
    const sample = fixture('signIns-list-example.json') as any;
    expect(shapeDifferences(sample, page)).toEqual([]);
    expect([...new Set(page.value.flatMap((r: unknown) => shapeDifferences(sample.value[0], r, { exact: true })))]).toEqual([]);
    expect(page.value.some((r: any) => r.status.errorCode !== 0)).toBe(true);
  });

  it('users/delta: default properties, selected properties and @removed entries', async () => {
    const first = (await graphGet(`${sim.url}/v1.0/users/delta`, token, { prefer: 'odata.maxpagesize=20' })).json();
    const defaults = fixture('users-delta-default-properties-example.json') as any;
    expect(shapeDifferences(defaults, first)).toEqual([]);
    expect([...new Set(first.value.flatMap((u: unknown) => shapeDifferences(defaults.value[0], u, { exact: true })))]).toEqual([]);
    const selected = (await graphGet(`${sim.url}/v1.0/users/delta?$select=displayName,givenName,surname`, token)).json();
    const initial = fixture('users-delta-initial-response-example.json') as any;
    expect(shapeDifferences(initial.value[0], selected.value[0], { exact: true })).toEqual([]);
    // Walk to the deltaLink, let a day pass, and compare the change round with the changes sample.
    let body = first;
    while (body['@odata.nextLink']) body = (await graphGet(body['@odata.nextLink'], token)).json();
    clock.advance(86400);
    try {
      const changes = (await graphGet(body['@odata.deltaLink'], token, { prefer: 'odata.maxpagesize=999' })).json();
      const sample = fixture('users-delta-deltalink-changes-example.json') as any;
      expect(shapeDifferences(withoutKeys(sample, ['value']), changes, {})).toEqual([]);
      const removed = changes.value.find((u: any) => u['@removed']);
      expect(removed).toBeDefined();
      expect(shapeDifferences(sample.value[1], removed, { exact: true })).toEqual([]);
    } finally {
      clock.advance(-86400);
    }
  });

  it('groups/delta: members@delta entries like the samples', async () => {
    const first = (await graphGet(`${sim.url}/v1.0/groups/delta`, token)).json();
    const sample = fixture('groups-delta-default-properties-example.json') as any;
    expect([...new Set(first.value.flatMap((g: unknown) => shapeDifferences(sample.value[0], g)))]).toEqual([]);
    const member = first.value.find((g: any) => g['members@delta'].length > 0)['members@delta'][0];
    expect(shapeDifferences(sample.value[0]['members@delta'][0], member, { exact: true })).toEqual([]);
    clock.advance(86400);
    try {
      const changes = (await graphGet(first['@odata.deltaLink'] ?? (await graphGet(first['@odata.nextLink'], token)).json()['@odata.deltaLink'], token)).json();
      const removedSample = (fixture('groups-delta-deltalink-member-changes-example.json') as any).value[0]['members@delta'][0];
      const removed = changes.value.flatMap((g: any) => g['members@delta'] ?? []).find((m: any) => m['@removed']);
      expect(removed).toBeDefined();
      expect(shapeDifferences(removedSample, removed, { exact: true })).toEqual([]);
    } finally {
      clock.advance(-86400);
    }
  });

  it('applications: the full application object', async () => {
    const res = (await graphGet(`${sim.url}/v1.0/applications?$filter=appId eq '${CLIENT_ID}'`, token)).json();
    const sample = withoutKeys(fixture('application-get-example.json'), ['@odata.context']);
    expect(shapeDifferences(sample, res.value[0], { exact: true })).toEqual([]);
  });

  it('token endpoint success and error bodies', async () => {
    const ok = await tokenRequest(sim, { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET, scope: `${sim.url}/.default` });
    expect(shapeDifferences(fixture('token-client-credentials-success-example.json'), ok.body)).toEqual([]);
    const bad = await tokenRequest(sim, { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET, scope: 'https://foo.microsoft.com/.default' });
    expect(shapeDifferences(fixture('token-error-invalid-scope-example.json'), bad.body, { exact: true })).toEqual([]);
    expect(String(bad.body.error_description)).toMatch(/^AADSTS70011: .*\r\nTrace ID: .*\r\nCorrelation ID: .*\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/s);
  });

  it('Graph errors: non-premium tenant and throttling', async () => {
    sim.setLicensed(TENANT_ID, false);
    const denied = (await graphGet(`${sim.url}/v1.0/auditLogs/directoryAudits`, token)).json();
    sim.setLicensed(TENANT_ID, true);
    expect(shapeDifferences(fixture('graph-error-nonpremium-tenant-example.json'), denied, { exact: true })).toEqual([]);
    const throttled = await startHttp({ clock: clock.now, throttle: { enabled: true, perTenantPer10s: 1 } });
    try {
      const t = await getToken(throttled);
      await graphGet(`${throttled.url}/v1.0/auditLogs/directoryAudits?$top=1`, t);
      const res = await graphGet(`${throttled.url}/v1.0/auditLogs/directoryAudits?$top=1`, t);
      expect(res.status).toBe(429);
      expect(shapeDifferences(fixture('graph-error-throttled-429-example.json'), res.json())).toEqual([]);
    } finally {
      await throttled.close();
    }
  });
});
