/** msal-node, configured for a custom cloud as the project configures it, gets tokens over HTTPS. */
import { createHash, X509Certificate } from 'node:crypto';
import { ConfidentialClientApplication, type INetworkModule, type NetworkResponse } from '@azure/msal-node';
import { Agent, request } from 'undici';
import { cloudDiscoveryMetadata, demoTenant, openIdConfiguration, startSimulator, type RunningSimulator } from '../src';
import { makeCert, type TestCert } from './helpers/cert';
import { SECRET, TENANT_ID, CLIENT_ID } from './helpers/sim';

jest.setTimeout(30_000);

function undiciNetworkClient(ca: string): INetworkModule {
  const dispatcher = new Agent({ connect: { ca } });
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: { headers?: Record<string, string>; body?: string }): Promise<NetworkResponse<T>> => {
    const res = await request(url, { method, headers: options?.headers, body: options?.body, dispatcher });
    const text = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    return { status: res.statusCode, headers, body: JSON.parse(text) as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

describe('msal-node against the simulator over HTTPS', () => {
  let sim: RunningSimulator;
  let cert: TestCert;

  beforeAll(async () => {
    cert = await makeCert();
    sim = await startSimulator({ tenants: [demoTenant({ clientSecret: SECRET, certificatePem: cert.certPem })], throttle: { enabled: false } });
  });
  afterAll(() => sim.close());

  function app(credential: { clientSecret: string } | { clientCertificate: { thumbprintSha256: string; privateKey: string } }): ConfidentialClientApplication {
    const host = new URL(sim.url).host;
    return new ConfidentialClientApplication({
      auth: {
        clientId: CLIENT_ID,
        authority: `${sim.url}/${TENANT_ID}`,
        knownAuthorities: [host],
        authorityMetadata: JSON.stringify(openIdConfiguration(sim.url, TENANT_ID)),
        cloudDiscoveryMetadata: JSON.stringify(cloudDiscoveryMetadata(sim.url)),
        ...credential,
      },
      system: { networkClient: undiciNetworkClient(sim.caCertPem as string) },
    });
  }

  it('serves HTTPS with a CA written to disk', () => {
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.caPath).toEqual(expect.any(String));
    expect(sim.caCertPem).toContain('BEGIN CERTIFICATE');
  });

  it('gets a token with a client secret', async () => {
    const result = await app({ clientSecret: SECRET }).acquireTokenByClientCredential({ scopes: [`${sim.url}/.default`] });
    expect(result?.accessToken).toEqual(expect.any(String));
    expect(result?.tenantId === TENANT_ID || result?.tenantId === '').toBe(true);
    const res = await request(`${sim.url}/v1.0/auditLogs/directoryAudits?$top=3`, { headers: { authorization: `Bearer ${result?.accessToken}` }, dispatcher: new Agent({ connect: { ca: sim.caCertPem } }) });
    expect(res.statusCode).toBe(200);
    expect(((await res.body.json()) as { value: unknown[] }).value.length).toBeGreaterThan(0);
  });

  it('gets a token with a certificate (client assertion)', async () => {
    const thumbprintSha256 = createHash('sha256').update(new X509Certificate(cert.certPem).raw).digest('hex');
    const result = await app({ clientCertificate: { thumbprintSha256, privateKey: cert.keyPem } }).acquireTokenByClientCredential({ scopes: [`${sim.url}/.default`] });
    expect(result?.accessToken).toEqual(expect.any(String));
    const claims = JSON.parse(Buffer.from(String(result?.accessToken).split('.')[1], 'base64url').toString());
    expect(claims.appidacr).toBe('2');
  });

  it('surfaces a bad secret as AADSTS7000215', async () => {
    await expect(app({ clientSecret: 'nope' }).acquireTokenByClientCredential({ scopes: [`${sim.url}/.default`] })).rejects.toThrow(/7000215/);
  });
});
