import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { generate } from 'selfsigned';

/**
 * A small HTTPS server on 127.0.0.1 standing in for the identity platform's token endpoint and Graph, with canned
 * answers shaped like Microsoft's documented samples. Each test scripts the Graph side with a handler.
 */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  /** Drop the connection without answering (a reset). */
  reset?: boolean;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

export type Handler = (req: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

export interface TlsMaterial {
  cert: string;
  key: string;
}

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8')) as T;
}

let tlsCache: Promise<TlsMaterial> | undefined;

/** A self-signed certificate for 127.0.0.1 that tests pass to the client as its extra CA. */
export function loopbackTls(): Promise<TlsMaterial> {
  tlsCache ??= generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  }).then((r) => ({ cert: r.cert, key: r.private }));
  return tlsCache;
}

/** A client certificate and key, as an app registration would have one uploaded. */
export async function clientCertificate(opts: { notAfter?: Date; notBefore?: Date } = {}): Promise<{ certificatePem: string; privateKeyPem: string }> {
  const r = await generate([{ name: 'commonName', value: 'entra-ingest test app' }], {
    keySize: 2048, algorithm: 'sha256', notBeforeDate: opts.notBefore, notAfterDate: opts.notAfter,
  });
  return { certificatePem: r.cert, privateKeyPem: r.private };
}

export interface TokenEndpointOptions {
  /** Accepted client secret; a request with another one gets AADSTS7000215. */
  secret?: string;
  /** Accepted client certificate: assertions are verified against it. */
  certificatePem?: string;
  /** Override every answer of the token endpoint. */
  handler?: Handler;
  expiresIn?: number;
}

export interface FakeMicrosoft {
  url: string;
  caPem: string;
  requests: RecordedRequest[];
  graphRequests(): RecordedRequest[];
  tokenRequests(): RecordedRequest[];
  /** Every access token issued so far (for leak checks). */
  issuedTokens: string[];
  /** Decoded client assertions received (header and payload), for certificate tests. */
  assertions: { header: Record<string, unknown>; payload: Record<string, unknown>; verified: boolean }[];
  setGraph(handler: Handler): void;
  close(): Promise<void>;
}

function b64urlJson(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Verifies an RS256/PS256 client assertion against the registered certificate, as Entra does. */
function verifyAssertion(jwt: string, certificatePem: string): { header: Record<string, unknown>; payload: Record<string, unknown>; verified: boolean } {
  const [h, p, s] = jwt.split('.');
  const header = b64urlJson(h);
  const payload = b64urlJson(p);
  const key = new crypto.X509Certificate(certificatePem).publicKey;
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s, 'base64url');
  const verified = header.alg === 'PS256'
    ? crypto.verify('sha256', data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature)
    : header.alg === 'RS256' && crypto.verify('sha256', data, key, signature);
  return { header, payload, verified };
}

export async function startFakeMicrosoft(opts: { token?: TokenEndpointOptions; graph?: Handler } = {}): Promise<FakeMicrosoft> {
  const tls = await loopbackTls();
  const requests: RecordedRequest[] = [];
  const issuedTokens: string[] = [];
  const assertions: FakeMicrosoft['assertions'] = [];
  let graph: Handler = opts.graph ?? (() => ({ status: 404, body: { error: { code: 'NotFound', message: 'no handler' } } }));
  const tokenOpts = opts.token ?? {};
  let url = '';

  const defaultToken: Handler = (req) => {
    const form = new URLSearchParams(req.body);
    const aadstsError = (status: number, code: number, error: string, text: string) => ({
      status,
      body: { error, error_description: `AADSTS${code}: ${text}\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2026-11-01 00:00:00Z`, error_codes: [code] },
    });
    if (form.get('grant_type') !== 'client_credentials') return aadstsError(400, 900144, 'invalid_request', "The request body must contain 'grant_type'.");
    if (form.get('scope') !== `${url}/.default`) return aadstsError(400, 70011, 'invalid_scope', `The provided value for the input parameter 'scope' is not valid.`);
    const assertion = form.get('client_assertion');
    if (assertion) {
      if (!tokenOpts.certificatePem) return aadstsError(401, 700027, 'invalid_client', 'Client assertion failed signature validation.');
      const checked = verifyAssertion(assertion, tokenOpts.certificatePem);
      assertions.push(checked);
      const tokenEndpoint = `${url}${req.url.pathname}`;
      if (!checked.verified || checked.payload.aud !== tokenEndpoint) return aadstsError(401, 700027, 'invalid_client', 'Client assertion failed signature validation.');
    } else if (tokenOpts.secret === undefined || form.get('client_secret') !== tokenOpts.secret) {
      return aadstsError(401, 7000215, 'invalid_client', 'Invalid client secret provided.');
    }
    const accessToken = `at-${issuedTokens.length + 1}-${crypto.randomBytes(12).toString('hex')}`;
    issuedTokens.push(accessToken);
    return { status: 200, body: { token_type: 'Bearer', expires_in: tokenOpts.expiresIn ?? 3599, ext_expires_in: 3599, access_token: accessToken } };
  };

  const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    // The handler is async; the event emitter ignores promises, so it catches its own errors (below).
    req.on('end', () => void (async () => {
      const recorded: RecordedRequest = { method: req.method ?? 'GET', url: new URL(req.url ?? '/', url), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      const isToken = /\/oauth2\/v2\.0\/token$/.test(recorded.url.pathname);
      let answer: FakeResponse;
      try {
        answer = await (isToken ? tokenOpts.handler ?? defaultToken : graph)(recorded);
      } catch (err) {
        answer = { status: 500, body: { error: { code: 'TestHandlerError', message: String(err) } } };
      }
      if (answer.reset) {
        req.socket.destroy();
        return;
      }
      if (answer.hang) return;
      const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(body);
    })());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    caPem: tls.cert,
    requests,
    graphRequests: () => requests.filter((r) => !/\/oauth2\/v2\.0\/token$/.test(r.url.pathname)),
    tokenRequests: () => requests.filter((r) => /\/oauth2\/v2\.0\/token$/.test(r.url.pathname)),
    issuedTokens,
    assertions,
    setGraph: (h) => { graph = h; },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A Graph collection page, as Graph sends it. */
export function page(records: Record<string, unknown>[], extra: Record<string, unknown> = {}): FakeResponse {
  return { status: 200, headers: { 'request-id': crypto.randomUUID() }, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits', value: records, ...extra } };
}

export function graphError(status: number, code: string, message: string, opts: { headers?: Record<string, string>; innerKey?: 'innerError' | 'innererror' } = {}): FakeResponse {
  const requestId = crypto.randomUUID();
  return {
    status,
    headers: { 'request-id': requestId, ...opts.headers },
    body: { error: { code, message, [opts.innerKey ?? 'innerError']: { date: '2026-11-01T00:00:00', 'request-id': requestId, 'client-request-id': requestId } } },
  };
}
