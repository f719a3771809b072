import { generate } from 'selfsigned';
import type { RunningSimulator } from '@entra-ingest/graph-simulator';
import { AuthConfigError, GraphClient, closeTokenProviders, getTokenProvider, type GraphClientEvent, type GraphError, type GraphPage } from '../src';
import { SIM_CLIENT, SIM_TENANT, pastWindow, simConnection, simulator, tenant } from './helpers/simulator';

// The Graph client against the project's Graph simulator (real HTTPS, real msal sign-in, real faults).

async function readAll(gen: AsyncGenerator<GraphPage>): Promise<{ ids: string[]; pages: number; error?: GraphError }> {
  const ids: string[] = [];
  let pages = 0;
  try {
    for await (const p of gen) {
      pages++;
      for (const r of p.records) ids.push(String(r.id));
    }
  } catch (err) {
    return { ids, pages, error: err as GraphError };
  }
  return { ids, pages };
}

const visibleIds = (sim: RunningSimulator, source: 'directoryAudits' | 'signIns', w: { from: string; to: string }) =>
  sim.groundTruth({ source, tenant: SIM_TENANT, from: w.from, to: w.to }).filter((r) => r.visible).map((r) => r.id);

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});
afterAll(() => closeTokenProviders());

it('reads a 6-hour audit window through throttling, 5xx and resets: exactly the ground truth', async () => {
  sim = await simulator({ throttle: { enabled: true }, faults: { http5xx: 0.05, resetMidBody: 0.05 } });
  const w = pastWindow(6);
  const events: GraphClientEvent[] = [];
  const client = new GraphClient({ connection: simConnection(sim), maxTransientRetries: 6, onEvent: (e) => events.push(e) });
  try {
    const { ids, pages, error } = await readAll(client.windowPages({ source: 'directoryAudits', ...w, top: 500 }));
    expect(error).toBeUndefined();
    const expected = visibleIds(sim, 'directoryAudits', w);
    expect(expected.length).toBeGreaterThan(1000);
    expect(new Set(ids)).toEqual(new Set(expected));
    expect(pages).toBeGreaterThan(2);
    const stats = sim.stats();
    expect(stats.throttled).toBeGreaterThan(0);
    expect(events.filter((e) => e.kind === 'throttled').length).toBe(stats.throttled);
    expect(events.some((e) => e.kind === 'retry')).toBe(true);
  } finally {
    await client.close();
  }
}, 120_000);

it('certificate credentials: a signed assertion the simulator verifies, then Graph reads', async () => {
  const cert = await generate([{ name: 'commonName', value: 'entra-ingest e2e' }], { keySize: 2048, algorithm: 'sha256' });
  sim = await simulator({
    throttle: { enabled: false },
    tenants: [tenant({ clients: [{ clientId: SIM_CLIENT, certificatePem: cert.cert, permissions: ['AuditLog.Read.All', 'Directory.Read.All'] }] })],
  });
  const connection = simConnection(sim, { credential: { kind: 'certificate', certificatePem: cert.cert, privateKeyPem: cert.private } });
  const client = new GraphClient({ connection });
  try {
    const w = pastWindow(1);
    const { ids, error } = await readAll(client.windowPages({ source: 'directoryAudits', ...w }));
    expect(error).toBeUndefined();
    expect(new Set(ids)).toEqual(new Set(visibleIds(sim, 'directoryAudits', w)));
    expect(sim.stats().tokensIssued).toBe(1);
  } finally {
    await client.close();
  }

  // A certificate the app does not have is refused by the simulator, as Entra does (AADSTS700027).
  const other = await generate([{ name: 'commonName', value: 'someone else' }], { keySize: 2048, algorithm: 'sha256' });
  const err = await getTokenProvider({ ...connection, credential: { kind: 'certificate', certificatePem: other.cert, privateKeyPem: other.private } }).getToken().catch((e: GraphError) => e);
  expect(err).toMatchObject({ kind: 'auth-config', aadstsCode: '700027' });
}, 60_000);

it('expired secret, missing licence and missing permission come back typed, with what to fix', async () => {
  sim = await simulator({
    throttle: { enabled: false },
    tenants: [tenant({ clients: [
      { clientId: SIM_CLIENT, secret: { value: 'right-secret', expiresAt: new Date(Date.now() + 86_400_000).toISOString() }, permissions: ['User.Read.All'] },
    ] })],
  });
  const connection = simConnection(sim, { credential: { kind: 'secret', clientSecret: 'right-secret' } });
  const client = new GraphClient({ connection });
  try {
    await expect(client.probe('directoryAudits')).rejects.toMatchObject({ kind: 'permission-missing', message: expect.stringMatching(/AuditLog\.Read\.All/) });
    // User.Read.All is granted: the users probe and delta read.
    await expect(client.probe('users')).resolves.toBeUndefined();
    const users = await client.deltaPages('users', { select: ['id', 'displayName'] }).next();
    expect(users.value?.records.length).toBeGreaterThan(0);
    sim.setLicensed(SIM_TENANT, false);
    await expect(client.probe('signIns')).rejects.toMatchObject({ kind: expect.stringMatching(/license-missing|permission-missing/) });
  } finally {
    await client.close();
  }
  sim.expireSecret(SIM_TENANT, SIM_CLIENT);
  // A new provider (fresh msal cache): the simulator now answers AADSTS7000222.
  const err = await getTokenProvider({ ...connection, timeouts: { connectMs: 9_999 } }).getToken().catch((e: GraphError) => e);
  expect(err).toBeInstanceOf(AuthConfigError);
  expect(err).toMatchObject({ kind: 'auth-config', aadstsCode: '7000222', retryable: false });
}, 60_000);

it('a token revoked mid-pagination is recovered with one refresh and the read completes', async () => {
  sim = await simulator({ throttle: { enabled: false }, faults: { revokeTokenMidPagination: 0.3 } });
  const running = sim;
  const w = pastWindow(6);
  // Revocations on a page's retry would be a second 401 (reported as unauthorized, by design): the fault is paused
  // from the refresh until the page arrives, so every revocation here must be recovered.
  const client = new GraphClient({
    connection: simConnection(sim),
    onEvent: (e) => {
      if (e.kind === 'retry' && e.reason === 'unauthorized') running.setFaults({ revokeTokenMidPagination: 0 });
      if (e.kind === 'page') running.setFaults({ revokeTokenMidPagination: 0.3 });
    },
  });
  try {
    const { ids, error } = await readAll(client.windowPages({ source: 'directoryAudits', ...w, top: 200 }));
    expect(error).toBeUndefined();
    expect(new Set(ids)).toEqual(new Set(visibleIds(sim, 'directoryAudits', w)));
    const stats = sim.stats();
    expect(stats.byStatus['401']).toBeGreaterThan(0);
    expect(stats.tokensIssued).toBe(1 + stats.byStatus['401']);
  } finally {
    await client.close();
  }
}, 60_000);

it('a nextLink to a foreign host is refused without another request', async () => {
  sim = await simulator({ throttle: { enabled: false }, faults: { foreignNextLink: 1 } });
  const client = new GraphClient({ connection: simConnection(sim) });
  try {
    const gen = client.windowPages({ source: 'directoryAudits', ...pastWindow(3), top: 200 });
    const first = await gen.next();
    expect(new URL(first.value!.nextLink!).host).not.toBe(new URL(sim.url).host);
    const requests = sim.stats().requests;
    await expect(gen.next()).rejects.toMatchObject({ kind: 'foreign-next-link' });
    expect(sim.stats().requests).toBe(requests);
  } finally {
    await client.close();
  }
}, 60_000);
