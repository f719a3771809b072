import crypto from 'node:crypto';
import { AuthConfigError } from './errors';

export interface PreparedCertificate {
  /** Hex SHA-256 thumbprint of the leaf certificate (sent as x5t#S256). */
  thumbprintSha256: string;
  /** Hex SHA-1 thumbprint, as the Azure portal shows it; for messages only. */
  thumbprintSha1: string;
  /** The certificate chain PEM; msal sends it as x5c so certificate rotation works without re-uploading. */
  x5cPem: string;
  /** PKCS#8 PEM of the private key. */
  privateKeyPem: string;
  notAfter: Date;
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Checks and normalises a certificate credential: a readable X.509 certificate (first one is the leaf), an RSA
 * private key that belongs to it, and a validity period that includes now. Errors say which part is wrong.
 */
export function prepareCertificate(certificatePem: string, privateKeyPem: string, now = new Date()): PreparedCertificate {
  const blocks = certificatePem.match(CERT_BLOCK);
  if (!blocks || blocks.length === 0) {
    throw new AuthConfigError('certificate: no PEM "BEGIN CERTIFICATE" block found in the certificate file');
  }
  let leaf: crypto.X509Certificate;
  try {
    leaf = new crypto.X509Certificate(blocks[0]);
  } catch (err) {
    throw new AuthConfigError(`certificate: cannot parse the certificate: ${(err as Error).message}`);
  }
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(privateKeyPem);
  } catch (err) {
    throw new AuthConfigError(`certificate: cannot read the private key (PEM, unencrypted PKCS#1 or PKCS#8 expected): ${(err as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new AuthConfigError(`certificate: the private key is ${key.asymmetricKeyType ?? 'unknown'}; Microsoft Entra client assertions need an RSA key`);
  }
  const thumbprintSha1 = leaf.fingerprint.replace(/:/g, '');
  if (!leaf.checkPrivateKey(key)) {
    throw new AuthConfigError(`certificate: the private key does not belong to the certificate (thumbprint ${thumbprintSha1})`);
  }
  const notAfter = new Date(leaf.validTo);
  if (notAfter.getTime() < now.getTime()) {
    throw new AuthConfigError(`certificate ${thumbprintSha1} expired on ${notAfter.toISOString()}: create a new certificate, upload it under ` +
      'App registrations → (the app) → Certificates & secrets → Certificates, and update the certificate and key references');
  }
  return {
    thumbprintSha256: leaf.fingerprint256.replace(/:/g, ''),
    thumbprintSha1,
    x5cPem: blocks.join('\n'),
    privateKeyPem: key.export({ format: 'pem', type: 'pkcs8' }).toString(),
    notAfter,
  };
}
