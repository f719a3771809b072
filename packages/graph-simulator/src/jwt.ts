/** Minimal JWT handling with node:crypto: HS256 for the simulator's own tokens, RS256/PS256 to verify client assertions. */
import { createHmac, createHash, timingSafeEqual, verify as cryptoVerify, constants, X509Certificate, type KeyObject } from 'node:crypto';

export function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function signHs256(payload: Record<string, unknown>, key: Buffer, header: Record<string, unknown> = {}): string {
  const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', ...header }));
  const body = b64url(JSON.stringify(payload));
  const sig = createHmac('sha256', key).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    return {
      header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as Record<string, unknown>,
      payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>,
      signingInput: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2], 'base64url'),
    };
  } catch {
    return undefined;
  }
}

export function verifyHs256(jwt: DecodedJwt, key: Buffer): boolean {
  if (jwt.header.alg !== 'HS256') return false;
  const expected = createHmac('sha256', key).update(jwt.signingInput).digest();
  return expected.length === jwt.signature.length && timingSafeEqual(expected, jwt.signature);
}

export function verifyRsa(jwt: DecodedJwt, publicKey: KeyObject): boolean {
  const alg = jwt.header.alg;
  if (alg === 'RS256') return cryptoVerify('sha256', Buffer.from(jwt.signingInput), publicKey, jwt.signature);
  if (alg === 'PS256') {
    return cryptoVerify('sha256', Buffer.from(jwt.signingInput), { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, jwt.signature);
  }
  return false;
}

export interface CertificateInfo {
  publicKey: KeyObject;
  /** base64url SHA-1 of the DER certificate: the `x5t` header. */
  x5t: string;
  /** base64url SHA-256 of the DER certificate: the `x5t#S256` header. */
  x5tS256: string;
  /** base64 SHA-1, as Graph shows it in keyCredentials.customKeyIdentifier. */
  thumbprintBase64: string;
  notBefore: string;
  notAfter: string;
}

export function certificateInfo(pem: string): CertificateInfo {
  const cert = new X509Certificate(pem);
  const sha1 = createHash('sha1').update(cert.raw).digest();
  return {
    publicKey: cert.publicKey,
    x5t: sha1.toString('base64url'),
    x5tS256: createHash('sha256').update(cert.raw).digest('base64url'),
    thumbprintBase64: sha1.toString('base64'),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
  };
}

/** HMAC-signed opaque token (skip and delta tokens) so clients can neither read nor forge positions. */
export function sealToken(payload: unknown, key: Buffer): string {
  const body = b64url(JSON.stringify(payload));
  const mac = createHmac('sha256', key).update(body).digest('base64url').slice(0, 22);
  return `${body}.${mac}`;
}

export function openToken<T>(token: string, key: Buffer): T | undefined {
  const [body, mac] = token.split('.');
  if (!body || !mac) return undefined;
  const expected = createHmac('sha256', key).update(body).digest('base64url').slice(0, 22);
  if (expected.length !== mac.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(mac))) return undefined;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}
