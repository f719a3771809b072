import { GraphClient, closeTokenProviders, getTokenProvider, type GraphError, type GraphLogger } from '../src';
import { newSecret, secretConnection } from './helpers/connection';
import { clientCertificate, graphError, page, startFakeMicrosoft, type FakeMicrosoft } from './helpers/fake-microsoft';

/** Records every log call verbatim: no masking, so a leak in what the client passes would show. */
function capturingLogger(lines: string[]): GraphLogger {
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, msg, ...fields }, (_k, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack } : v)));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

afterAll(() => closeTokenProviders());

it('no secret, private key or access token appears in any log line or error message, across every path', async () => {
  const secret = newSecret();
  const cert = await clientCertificate();
  let calls = 0;
  const ms: FakeMicrosoft = await startFakeMicrosoft({
    token: { secret, certificatePem: cert.certificatePem },
    graph: (req) => {
      calls++;
      if (req.url.pathname.endsWith('/users/delta')) return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      if (calls === 1) return graphError(401, 'InvalidAuthenticationToken', 'Access token has expired.');
      if (calls === 2) return { status: 429, headers: { 'retry-after': '0.05' }, body: { error: { code: 'TooManyRequests', message: 'Please retry again later.' } } };
      if (calls === 3) return { status: 500, body: '' };
      if (calls === 4) return { status: 200, body: '{"value":[' };
      return page([{ id: 'a1' }]);
    },
  });
  const lines: string[] = [];
  const logger = capturingLogger(lines);
  const errors: GraphError[] = [];
  try {
    const conn = secretConnection(ms, secret);
    const client = new GraphClient({ connection: conn, logger, tokenProvider: getTokenProvider(conn, logger), backoffBaseMs: 5 });
    for await (const p of client.windowPages({ source: 'directoryAudits', from: '2026-11-01T00:00:00Z', to: '2026-11-01T06:00:00Z' })) expect(p.records).toHaveLength(1);
    await client.probe('users').catch((e: GraphError) => errors.push(e));
    await client.close();

    const wrong = secretConnection(ms, `${secret}-wrong`);
    await getTokenProvider(wrong, logger).getToken().catch((e: GraphError) => errors.push(e));

    const certConn = { ...secretConnection(ms, ''), credential: { kind: 'certificate' as const, ...cert } };
    const certClient = new GraphClient({ connection: certConn, logger, tokenProvider: getTokenProvider(certConn, logger) });
    await certClient.probe('directoryAudits');
    await certClient.close();
  } finally {
    await ms.close();
  }

  // Each recovery path was taken and logged, so the check below covers them.
  const text = lines.join('\n');
  expect(text).toMatch(/"reason":"unauthorized"/);
  expect(text).toMatch(/graph throttled: waiting/);
  expect(text).toMatch(/"reason":"http-500"/);
  expect(text).toMatch(/"reason":"malformed-response"/);
  expect(text).toMatch(/"kind":"permission-missing".*"requestId":"[0-9a-f-]{36}"/);
  expect(text).toMatch(/sign-in failed/);
  expect(errors.map((e) => e.kind)).toEqual(['permission-missing', 'auth-config']);
  expect(ms.issuedTokens.length).toBeGreaterThanOrEqual(3);

  const keyBody = cert.privateKeyPem.split('\n').find((l) => l.length > 40)!;
  const haystacks = [text, ...errors.map((e) => `${e.message} ${JSON.stringify(e.toLogFields())}`)];
  for (const hay of haystacks) {
    expect(hay).not.toContain(secret);
    expect(hay).not.toContain(keyBody);
    for (const token of ms.issuedTokens) expect(hay).not.toContain(token);
    for (const token of ms.issuedTokens) expect(hay).not.toContain(token.slice(3, 20));
  }
});
