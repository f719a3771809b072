import { allPages, auditsUrl, getToken, graphGet, startHttp, TestClock, TENANT_ID } from './helpers/sim';
import type { RunningSimulator } from '../src';

describe('directoryAudits and signIns', () => {
  const clock = new TestClock();
  let sim: RunningSimulator;
  let token: string;

  beforeAll(async () => {
    sim = await startHttp({ clock: clock.now, eventsPerMinute: 40, seed: 7 });
    token = await getToken(sim);
  });
  afterAll(() => sim.close());

  it('pages a time window to the end and returns exactly the visible ground truth', async () => {
    const from = clock.iso(-3 * 3600);
    const to = clock.iso(-60); // recent enough that some records are still invisible
    const pages = await allPages(`${auditsUrl(sim, from, to)}&$top=200`, token);
    const served = pages.flatMap((p) => p.value.map((r: { id: string }) => r.id));
    const truth = sim.groundTruth({ source: 'directoryAudits', tenant: TENANT_ID, from, to });
    const visible = truth.filter((r) => r.visible).map((r) => r.id);
    expect(pages.length).toBeGreaterThan(10);
    expect(new Set(served).size).toBe(served.length);
    expect(served.sort()).toEqual(visible.sort());
    expect(truth.length).toBeGreaterThan(visible.length); // late arrivals exist
    for (const p of pages) expect(p.value.length).toBeLessThanOrEqual(200);
  });

  it('makes late records visible as the clock moves on', async () => {
    const from = clock.iso(-600);
    const to = clock.iso(0);
    const before = sim.groundTruth({ source: 'directoryAudits', from, to });
    const hidden = before.filter((r) => !r.visible).map((r) => r.id);
    expect(hidden.length).toBeGreaterThan(0);
    clock.advance(1900);
    const pages = await allPages(auditsUrl(sim, from, to), token);
    const served = new Set(pages.flatMap((p) => p.value.map((r: { id: string }) => r.id)));
    for (const id of hidden) expect(served.has(id)).toBe(true);
    clock.advance(-1900);
  });

  it('orders newest first by default and oldest first with $orderby asc', async () => {
    const from = clock.iso(-7200);
    const to = clock.iso(-3600);
    const desc = (await allPages(auditsUrl(sim, from, to), token)).flatMap((p) => p.value.map((r: { activityDateTime: string }) => r.activityDateTime));
    const asc = (await allPages(`${auditsUrl(sim, from, to)}&$orderby=activityDateTime asc`, token)).flatMap((p) => p.value.map((r: { activityDateTime: string }) => r.activityDateTime));
    expect(desc.length).toBeGreaterThan(5);
    expect([...desc].sort().reverse()).toEqual(desc);
    expect([...asc].sort()).toEqual(asc);
    expect([...asc].reverse()).toEqual(desc);
  });

  it('filters on category, activityDisplayName and loggedByService like a client-side filter would', async () => {
    const from = clock.iso(-6 * 3600);
    const to = clock.iso(-3600);
    const all = (await allPages(auditsUrl(sim, from, to), token)).flatMap((p) => p.value);
    const cases: [string, (r: any) => boolean][] = [
      ["category eq 'GroupManagement'", (r) => r.category === 'GroupManagement'],
      ["activityDisplayName eq 'Update user'", (r) => r.activityDisplayName === 'Update user'],
      ["startswith(activityDisplayName,'Add member')", (r) => r.activityDisplayName.startsWith('Add member')],
      ["loggedByService eq 'Self-service Password Management'", (r) => r.loggedByService === 'Self-service Password Management'],
    ];
    for (const [clause, predicate] of cases) {
      const filtered = (await allPages(`${auditsUrl(sim, from, to)} and ${clause}`, token)).flatMap((p) => p.value.map((r: { id: string }) => r.id));
      const expected = all.filter(predicate).map((r: { id: string }) => r.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(filtered).toEqual(expected);
    }
  });

  it('rejects unsupported filters, $skip and oversized $top as Graph does', async () => {
    const bad = await graphGet(`${sim.url}/v1.0/auditLogs/directoryAudits?$filter=result eq 'success'`, token, { 'client-request-id': 'my-req-1' });
    expect(bad.status).toBe(400);
    expect(bad.json().error.code).toBe('BadRequest');
    expect(bad.json().error.message).toBe('Invalid filter clause');
    expect(bad.json().error.innerError['client-request-id']).toBe('my-req-1');
    expect(bad.headers.get('request-id')).toBe(bad.json().error.innerError['request-id']);
    const orFilter = await graphGet(`${sim.url}/v1.0/auditLogs/directoryAudits?$filter=activityDateTime ge 2026-03-10T00:00:00Z or category eq 'Device'`, token);
    expect(orFilter.status).toBe(400);
    const quoted = await graphGet(`${sim.url}/v1.0/auditLogs/directoryAudits?$filter=activityDateTime ge '2026-03-10T00:00:00Z'`, token);
    expect(quoted.json().error.message).toBe('Invalid filter clause');
    expect((await graphGet(`${sim.url}/v1.0/auditLogs/directoryAudits?$skip=10`, token)).status).toBe(400);
    expect((await graphGet(`${sim.url}/v1.0/auditLogs/directoryAudits?$top=1001`, token)).status).toBe(400);
    const old = await graphGet(auditsUrl(sim, clock.iso(-40 * 86400), clock.iso(-39 * 86400)), token);
    expect(old.status).toBe(400);
  });

  it('expires skip tokens after the TTL and refuses tampered ones', async () => {
    const first = (await graphGet(`${auditsUrl(sim, clock.iso(-7200), clock.iso(-3600))}&$top=5`, token)).json();
    const next: string = first['@odata.nextLink'];
    expect(next).toContain('$skiptoken=');
    const tampered = next.replace(/\$skiptoken=(.)/, (_m, c: string) => `$skiptoken=${c === 'a' ? 'b' : 'a'}`);
    const bad = await graphGet(tampered, token);
    expect(bad.status).toBe(400);
    expect(bad.json().error.message).toBe('Invalid Skip Token');
    expect((await graphGet(next, token)).status).toBe(200);
    clock.advance(301);
    try {
      const expired = await graphGet(next, token);
      expect(expired.status).toBe(400);
      expect(expired.json().error.message).toBe('Invalid Skip Token');
    } finally {
      clock.advance(-301);
    }
  });

  it('serves sign-ins filtered on createdDateTime, matching the ground truth', async () => {
    const from = clock.iso(-5400);
    const to = clock.iso(-3600);
    const pages = await allPages(`${sim.url}/v1.0/auditLogs/signIns?$filter=createdDateTime ge ${from} and createdDateTime le ${to}&$top=100`, token);
    const served = pages.flatMap((p) => p.value.map((r: { id: string }) => r.id));
    const truth = sim.groundTruth({ source: 'signIns', from, to }).filter((r) => r.visible).map((r) => r.id);
    expect(served.length).toBeGreaterThan(50);
    expect(served.sort()).toEqual(truth.sort());
    const bad = await graphGet(`${sim.url}/v1.0/auditLogs/signIns?$filter=activityDateTime ge ${from}`, token);
    expect(bad.status).toBe(400);
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const from = clock.iso(-3600);
    const to = clock.iso(-1800);
    const same = await startHttp({ clock: clock.now, eventsPerMinute: 40, seed: 7 });
    const other = await startHttp({ clock: clock.now, eventsPerMinute: 40, seed: 8 });
    try {
      const a = sim.groundTruth({ source: 'directoryAudits', from, to }).map((r) => r.id);
      expect(same.groundTruth({ source: 'directoryAudits', from, to }).map((r) => r.id)).toEqual(a);
      expect(other.groundTruth({ source: 'directoryAudits', from, to }).map((r) => r.id)).not.toEqual(a);
    } finally {
      await same.close();
      await other.close();
    }
  });

  it('spreads --bulk records over the history', async () => {
    const bulk = await startHttp({ clock: clock.now, bulk: 20_000, historyDays: 2 });
    try {
      const n = bulk.groundTruth({ source: 'directoryAudits', from: clock.iso(-3 * 86400), to: clock.iso(0) }).length;
      expect(n).toBeGreaterThan(19_000);
      expect(n).toBeLessThan(21_000);
    } finally {
      await bulk.close();
    }
  });
});
