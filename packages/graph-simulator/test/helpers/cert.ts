/** Client certificates and hand-made client assertions for token endpoint tests. */
import { createHash, createPrivateKey, randomUUID, sign, constants, X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';

export interface TestCert {
  certPem: string;
  keyPem: string;
}

export async function makeCert(cn = 'entra-ingest test client'): Promise<TestCert> {
  const pems = await generate([{ name: 'commonName', value: cn }], { keySize: 2048, algorithm: 'sha256' });
  return { certPem: pems.cert, keyPem: pems.private };
}

export function thumbprints(certPem: string): { x5t: string; x5tS256: string } {
  const raw = new X509Certificate(certPem).raw;
  return { x5t: createHash('sha1').update(raw).digest('base64url'), x5tS256: createHash('sha256').update(raw).digest('base64url') };
}

export function clientAssertion(opts: {
  keyPem: string;
  certPem: string;
  clientId: string;
  audience: string;
  alg?: 'RS256' | 'PS256';
  lifetimeSeconds?: number;
  nowMs?: number;
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
}): string {
  const alg = opts.alg ?? 'RS256';
  const now = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  const { x5t, x5tS256 } = thumbprints(opts.certPem);
  const header = { alg, typ: 'JWT', ...(alg === 'PS256' ? { 'x5t#S256': x5tS256 } : { x5t }), ...(opts.header ?? {}) };
  const payload = { aud: opts.audience, iss: opts.clientId, sub: opts.clientId, jti: randomUUID(), nbf: now, iat: now, exp: now + (opts.lifetimeSeconds ?? 600), ...(opts.claims ?? {}) };
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const key = createPrivateKey(opts.keyPem);
  const signature = alg === 'PS256'
    ? sign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST })
    : sign('sha256', Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}
