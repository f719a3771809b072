import crypto from 'node:crypto';
import { AuthConfigError, GraphClient, GraphError, closeTokenProviders, getTokenProvider, prepareCertificate } from '../src';
import { TENANT, newSecret, secretConnection } from './helpers/connection';
import { clientCertificate, fixture, page, startFakeMicrosoft, type FakeMicrosoft } from './helpers/fake-microsoft';

async function errorOf(p: Promise<unknown>): Promise<GraphError> {
  try {
    await p;
  } catch (err) {
    return err as GraphError;
  }
  throw new Error('expected a rejection');
}

let ms: FakeMicrosoft;
beforeEach(async () => { ms = await startFakeMicrosoft(); });
afterEach(() => ms.close());
afterAll(() => closeTokenProviders());

describe('sign-in with a client secret', () => {
  it('gets a token for <graph base>/.default from the tenant-specific endpoint, and reuses it from the cache', async () => {
    const secret = newSecret();
    await ms.close();
    ms = await startFakeMicrosoft({ token: { secret } });
    const provider = getTokenProvider(secretConnection(ms, secret));
    const first = await provider.getToken();
    const second = await provider.getToken();
    expect(first.accessToken).toBe(ms.issuedTokens[0]);
    expect(second.accessToken).toBe(first.accessToken);
    expect(first.expiresOn.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    const tokenRequests = ms.tokenRequests();
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0].url.pathname).toBe(`/${TENANT}/oauth2/v2.0/token`);
    expect(new URLSearchParams(tokenRequests[0].body).get('scope')).toBe(`${ms.url}/.default`);
    // For a custom cloud msal is given all metadata: nothing but the token POST reaches the server.
    expect(ms.requests.every((r) => r.method === 'POST')).toBe(true);
    // forceRefresh skips the cache.
    const refreshed = await provider.getToken({ forceRefresh: true });
    expect(refreshed.accessToken).toBe(ms.issuedTokens[1]);
  });

  it('one provider per (tenant, client, credential, login URL): same inputs give the same provider, a rotated secret a new one', () => {
    const conn = secretConnection(ms, newSecret());
    expect(getTokenProvider({ ...conn })).toBe(getTokenProvider({ ...conn }));
    expect(getTokenProvider({ ...conn, credential: { kind: 'secret', clientSecret: newSecret() } })).not.toBe(getTokenProvider(conn));
  });

  it('expired secret (AADSTS7000222) → AuthConfigError saying how to fix it, not retryable', async () => {
    await ms.close();
    ms = await startFakeMicrosoft({
      token: {
        handler: () => ({
          status: 401,
          body: {
            error: 'invalid_client',
            error_description: "AADSTS7000222: The provided client secret keys for app '…' are expired. Visit the Azure portal to create new keys for your app.\r\nTrace ID: t\r\nCorrelation ID: c",
            error_codes: [7000222],
          },
        }),
      },
    });
    const err = await errorOf(getTokenProvider(secretConnection(ms, newSecret())).getToken());
    expect(err).toBeInstanceOf(AuthConfigError);
    expect(err.kind).toBe('auth-config');
    expect(err.retryable).toBe(false);
    expect((err as AuthConfigError).aadstsCode).toBe('7000222');
    expect(err.message).toMatch(/client secret has expired.*Certificates & secrets/);
  });

  it.each([
    ['7000215', 401, /secret is wrong/],
    ['700016', 400, /not found in this tenant/],
    ['90002', 400, /tenant was not found/],
  ])('AADSTS%s → auth-config', async (code, status, message) => {
    await ms.close();
    ms = await startFakeMicrosoft({ token: { handler: () => ({ status, body: { error: 'invalid_request', error_description: `AADSTS${code}: something.`, error_codes: [Number(code)] } }) } });
    const err = await errorOf(getTokenProvider(secretConnection(ms, newSecret())).getToken());
    expect(err.kind).toBe('auth-config');
    expect((err as AuthConfigError).aadstsCode).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('bad scope (the documented AADSTS70011 sample) → auth-config naming the cloud setting', async () => {
    await ms.close();
    ms = await startFakeMicrosoft({ token: { handler: () => ({ status: 400, body: fixture('token-error-invalid-scope-example.json') }) } });
    const err = await errorOf(getTokenProvider(secretConnection(ms, newSecret())).getToken());
    expect(err.kind).toBe('auth-config');
    expect(err.message).toMatch(/AADSTS70011.*cloud \/ graphUrl/);
  });

  it('a 404 with an empty JSON body (msal returns an empty result) → an error, not an empty token', async () => {
    await ms.close();
    ms = await startFakeMicrosoft({ token: { handler: () => ({ status: 404, body: {} }) } });
    const err = await errorOf(getTokenProvider(secretConnection(ms, newSecret())).getToken());
    expect(err.kind).toBe('auth-config');
    expect(err.message).toMatch(/without an access token/);
  });

  it('5xx and unreachable login → retryable auth-transient', async () => {
    await ms.close();
    ms = await startFakeMicrosoft({ token: { handler: () => ({ status: 503, body: '<html>Service Unavailable</html>' }) } });
    const err = await errorOf(getTokenProvider(secretConnection(ms, newSecret())).getToken());
    expect(err.kind).toBe('auth-transient');
    expect(err.retryable).toBe(true);
    expect(err.status).toBe(503);

    const closedUrl = ms.url;
    await ms.close();
    const err2 = await errorOf(getTokenProvider({ ...secretConnection(ms, newSecret()), loginUrl: closedUrl, graphUrl: closedUrl }).getToken());
    expect(err2.kind).toBe('auth-transient');
    expect(err2.message).toMatch(/ECONNREFUSED/);
    ms = await startFakeMicrosoft();
  });

  it('a token endpoint 503 then success: the Graph client retries the sign-in', async () => {
    const secret = newSecret();
    let calls = 0;
    await ms.close();
    ms = await startFakeMicrosoft({
      token: { handler: () => (++calls === 1 ? { status: 503, body: 'busy' } : { status: 200, body: { token_type: 'Bearer', expires_in: 3599, access_token: 'at-after-503' } }) },
      graph: () => page([{ id: 'a1' }]),
    });
    const client = new GraphClient({ connection: secretConnection(ms, secret), backoffBaseMs: 5 });
    await client.probe('directoryAudits');
    expect(calls).toBe(2);
    expect(ms.graphRequests()[0].headers.authorization).toBe('Bearer at-after-503');
    await client.close();
  });

  it('rejects multi-tenant authorities', () => {
    for (const tenantId of ['common', 'organizations', 'Consumers']) {
      expect(() => getTokenProvider({ ...secretConnection(ms, newSecret()), tenantId })).toThrow(/not tenant-specific/);
    }
  });
});

describe('sign-in with a certificate', () => {
  it('sends a signed assertion (PS256, x5t#S256 and x5c) that verifies against the certificate', async () => {
    const cert = await clientCertificate();
    await ms.close();
    ms = await startFakeMicrosoft({ token: { certificatePem: cert.certificatePem } });
    const conn = { ...secretConnection(ms, ''), credential: { kind: 'certificate' as const, ...cert } };
    const token = await getTokenProvider(conn).getToken();
    expect(token.accessToken).toBe(ms.issuedTokens[0]);
    expect(ms.assertions).toHaveLength(1);
    const { header, payload, verified } = ms.assertions[0];
    expect(verified).toBe(true);
    const x509 = new crypto.X509Certificate(cert.certificatePem);
    expect(header['x5t#S256']).toBe(Buffer.from(x509.fingerprint256.replace(/:/g, ''), 'hex').toString('base64url'));
    expect(header.x5c).toEqual([x509.raw.toString('base64')]);
    expect(payload).toMatchObject({ aud: `${ms.url}/${TENANT}/oauth2/v2.0/token`, iss: conn.clientId, sub: conn.clientId });
    const body = new URLSearchParams(ms.tokenRequests()[0].body);
    expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(body.get('client_secret')).toBeNull();
  });

  it('checks the pair before signing: mismatched key, expired certificate, missing certificate', async () => {
    const a = await clientCertificate();
    const b = await clientCertificate();
    expect(() => prepareCertificate(a.certificatePem, b.privateKeyPem)).toThrow(/private key does not belong to the certificate/);
    const old = await clientCertificate({ notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
    expect(() => prepareCertificate(old.certificatePem, old.privateKeyPem)).toThrow(/expired on 2021-01-01.*Certificates & secrets/);
    expect(() => prepareCertificate('not a pem', a.privateKeyPem)).toThrow(/no PEM "BEGIN CERTIFICATE" block/);
    const ok = prepareCertificate(a.certificatePem, a.privateKeyPem);
    expect(ok.thumbprintSha256).toMatch(/^[0-9A-F]{64}$/);
    expect(ok.thumbprintSha1).toMatch(/^[0-9A-F]{40}$/);
  });
});
