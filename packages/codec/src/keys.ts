/** AES-256 needs exactly 32 bytes of key material. */
export const KEY_BYTES = 32;

export interface EncryptionKey {
  /** Written into each payload's metadata so a payload names the key that can open it. */
  id: string;
  key: Uint8Array;
}

export class KeyMaterialError extends Error {
  override name = 'KeyMaterialError';
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes a base64 key. Node's decoder silently skips stray characters, so the text is checked first: a truncated or
 * mangled secret must fail loudly rather than become a different key. `where` names the key, never its value.
 */
export function parseKeyMaterial(base64: string, where: string): Uint8Array {
  const text = base64.trim();
  if (!STRICT_BASE64.test(text)) {
    throw new KeyMaterialError(`${where}: is not base64 (generate one with: openssl rand -base64 32)`);
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new KeyMaterialError(`${where}: must decode to ${KEY_BYTES} bytes for AES-256, got ${key.length}`);
  }
  return new Uint8Array(key);
}
