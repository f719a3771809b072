import crypto from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { type EncryptionKey, KEY_BYTES } from './keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const ProtoPayload = temporal.api.common.v1.Payload;
const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
const text = (bytes: Uint8Array | null | undefined): string | undefined => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

/** A payload names a key this codec does not hold (e.g. an old key was removed before its histories aged out). */
export class UnknownKeyIdError extends Error {
  override name = 'UnknownKeyIdError';
  constructor(readonly keyId: string, known: string[]) {
    super(`payload was encrypted with key id "${keyId}", which is not configured (configured key ids: ${known.join(', ')}); add that key back under temporal.encryption.keys to read it`);
  }
}

/** The ciphertext did not authenticate: it was altered, or a different key was configured under the same id. */
export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

export interface EncryptionCodecOptions {
  /** Key used for every new payload. */
  currentKeyId: string;
  /** All keys that may still be needed to read history; must include the current one. */
  keys: EncryptionKey[];
}

/**
 * Encrypts whole payloads (metadata included, so even the original encoding is hidden) with AES-256-GCM and a fresh
 * random IV each time. The key id travels in clear metadata so keys can rotate: encode with the current key, decode
 * with whichever key the payload names. The key id is also bound as associated data, so relabelling fails to decrypt.
 * Payloads that are not encrypted pass through decode untouched: turning encryption on keeps old histories readable.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly keys = new Map<string, Uint8Array>();
  readonly currentKeyId: string;

  constructor(opts: EncryptionCodecOptions) {
    for (const { id, key } of opts.keys) {
      if (key.length !== KEY_BYTES) throw new RangeError(`encryption key "${id}" must be ${KEY_BYTES} bytes, got ${key.length}`);
      if (this.keys.has(id)) throw new RangeError(`encryption key id "${id}" is given twice`);
      this.keys.set(id, key);
    }
    if (!this.keys.has(opts.currentKeyId)) {
      throw new RangeError(`current key id "${opts.currentKeyId}" is not one of the keys (${[...this.keys.keys()].join(', ')})`);
    }
    this.currentKeyId = opts.currentKeyId;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.encrypt(p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => (text(p.metadata?.encoding) === ENCRYPTED_ENCODING ? this.decrypt(p) : p));
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.currentKeyId;
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv(ALGORITHM, this.keys.get(keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(keyId, 'utf8'));
    const plain = ProtoPayload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(keyId) },
      data: new Uint8Array(sealed),
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
    if (!keyId) throw new DecryptionError(`encrypted payload has no "${KEY_ID_METADATA}" metadata: cannot tell which key opens it`);
    const key = this.keys.get(keyId);
    if (!key) throw new UnknownKeyIdError(keyId, [...this.keys.keys()]);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new DecryptionError(`encrypted payload (key "${keyId}") is too short to be valid: ${data.length} bytes`);
    const decipher = crypto.createDecipheriv(ALGORITHM, key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(keyId, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new DecryptionError(`encrypted payload failed authentication with key "${keyId}": it was altered, or the key configured under that id is not the one it was encrypted with`);
    }
    return ProtoPayload.decode(plain);
  }
}
