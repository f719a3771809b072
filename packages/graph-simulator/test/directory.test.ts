jest.setTimeout(30_000);

import type { RunningSimulator } from '../src';
import { makeCert } from './helpers/cert';
import { CLIENT_ID, getToken, graphGet, SECRET, startHttp, TestClock } from './helpers/sim';
import { demoTenant } from '../src';
import { X509Certificate, createHash } from 'node:crypto';

async function deltaRound(sim: RunningSimulator, token: string, url: string): Promise<{ items: any[]; deltaLink: string; pages: number }> {
  const items: any[] = [];
  let next: string | undefined = url;
  let pages = 0;
  for (;;) {
    const res = await graphGet(next as string, token, { prefer: 'odata.maxpagesize=25' });
    expect(res.status).toBe(200);
    const body = res.json();
    pages++;
    items.push(...body.value);
    if (body['@odata.deltaLink']) return { items, deltaLink: body['@odata.deltaLink'], pages };
    next = body['@odata.nextLink'];
    expect(next).toEqual(expect.stringContaining('$skiptoken='));
  }
}

describe('users and groups delta', () => {
  const clock = new TestClock();
  let sim: RunningSimulator;
  let token: string;

  beforeAll(async () => {
    sim = await startHttp({ clock: clock.now, eventsPerMinute: 200, tokenLifetimeSeconds: 30 * 86400 });
    token = await getToken(sim);
  });
  afterAll(() => sim.close());

  it('lists all users, then only the users whose changes became visible since, with @removed for deletions', async () => {
    const first = await deltaRound(sim, token, `${sim.url}/v1.0/users/delta`);
    expect(first.pages).toBeGreaterThan(1);
    expect(first.items.length).toBeGreaterThan(40);
    expect(first.items.every((u) => typeof u.userPrincipalName === 'string' && !('@removed' in u))).toBe(true);
    const syncedAt = clock.iso();
    clock.advance(6 * 3600);
    const second = await deltaRound(sim, token, first.deltaLink);
    const truth = sim.groundTruth({ source: 'users', from: clock.iso(-7 * 86400), to: clock.iso() });
    const changedSince = truth.filter((r) => r.visible && r.time > syncedAt);
    expect(changedSince.length).toBeGreaterThan(0);
    expect(new Set(second.items.map((u) => u.id))).toEqual(new Set(changedSince.map((r) => r.id)));
    const removedIds = new Set(second.items.filter((u) => u['@removed']).map((u) => u.id));
    const lastChange = new Map(changedSince.map((r) => [r.id, r]));
    for (const [id, rec] of lastChange) expect(removedIds.has(id)).toBe(Boolean(rec.deleted));
    const unchanged = await deltaRound(sim, token, second.deltaLink);
    expect(unchanged.items).toEqual([]);
  });

  it('honours $select and answers an old delta token with 410 syncStateNotFound', async () => {
    const round = await deltaRound(sim, token, `${sim.url}/v1.0/users/delta?$select=displayName,jobTitle`);
    expect(Object.keys(round.items[0]).sort()).toEqual(['displayName', 'id', 'jobTitle']);
    const unknown = await graphGet(`${sim.url}/v1.0/users/delta?$select=shoeSize`, token);
    expect(unknown.status).toBe(400);
    clock.advance(8 * 86400);
    try {
      const gone = await graphGet(round.deltaLink, token);
      expect(gone.status).toBe(410);
      expect(gone.json().error.code).toBe('syncStateNotFound');
    } finally {
      clock.advance(-8 * 86400);
    }
  });

  it('reports group membership as members@delta, then only membership changes', async () => {
    const first = await deltaRound(sim, token, `${sim.url}/v1.0/groups/delta`);
    expect(first.items.length).toBeGreaterThan(5);
    const allCompany = first.items.find((g) => g.displayName === 'All Company');
    expect(allCompany['members@delta'].length).toBeGreaterThan(20);
    expect(allCompany['members@delta'][0]['@odata.type']).toBe('#microsoft.graph.user');
    clock.advance(12 * 3600);
    const second = await deltaRound(sim, token, first.deltaLink);
    const withMemberChanges = second.items.filter((g) => g['members@delta']?.length > 0);
    expect(withMemberChanges.length).toBeGreaterThan(0);
    // Replaying the changes on the first round's membership gives the current full membership.
    const fresh = await deltaRound(sim, token, `${sim.url}/v1.0/groups/delta`);
    for (const changed of withMemberChanges) {
      const before = new Set<string>(first.items.find((g) => g.id === changed.id)['members@delta'].map((m: { id: string }) => m.id));
      for (const m of changed['members@delta']) {
        if (m['@removed']) before.delete(m.id);
        else before.add(m.id);
      }
      const now = new Set<string>(fresh.items.find((g) => g.id === changed.id)['members@delta'].map((m: { id: string }) => m.id));
      expect(before).toEqual(now);
    }
  });
});

describe('applications', () => {
  it("returns the client's secret and certificate credentials for appId eq '…'", async () => {
    const cert = await makeCert();
    const expiresAt = '2027-01-31T00:00:00.000Z';
    const sim = await startHttp({ tenants: [demoTenant({ clientSecret: SECRET, secretExpiresAt: expiresAt, certificatePem: cert.certPem })] });
    try {
      const token = await getToken(sim);
      const res = await graphGet(`${sim.url}/v1.0/applications?$filter=appId eq '${CLIENT_ID}'&$select=id,appId,displayName,passwordCredentials,keyCredentials`, token);
      expect(res.status).toBe(200);
      const [app] = res.json().value;
      expect(Object.keys(app).sort()).toEqual(['appId', 'displayName', 'id', 'keyCredentials', 'passwordCredentials']);
      expect(app.passwordCredentials).toHaveLength(1);
      expect(app.passwordCredentials[0].endDateTime).toBe(expiresAt);
      expect(app.passwordCredentials[0].hint).toBe(SECRET.slice(0, 3));
      const x509 = new X509Certificate(cert.certPem);
      expect(app.keyCredentials[0].customKeyIdentifier).toBe(createHash('sha1').update(x509.raw).digest('base64'));
      expect(Date.parse(app.keyCredentials[0].endDateTime)).toBe(Date.parse(x509.validTo));
      const none = await graphGet(`${sim.url}/v1.0/applications?$filter=appId eq '00000000-0000-0000-0000-000000000000'`, token);
      expect(none.json().value).toEqual([]);
      const all = await graphGet(`${sim.url}/v1.0/applications`, token);
      expect(all.json().value.length).toBeGreaterThan(1);
    } finally {
      await sim.close();
    }
  });
});
