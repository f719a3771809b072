import crypto from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { DecryptionError, ENCRYPTED_ENCODING, EncryptionCodec, KEY_ID_METADATA, UnknownKeyIdError } from '../src';

const newKey = (id: string) => ({ id, key: new Uint8Array(crypto.randomBytes(32)) });
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('utf8');
const SECRET_INPUT = { feed: 'contoso-feed', windowStart: '2026-03-14T09:26:00.000Z', user: 'adele.vance@contoso.example' };

function plainPayload(value: unknown = SECRET_INPUT): Payload {
  return defaultPayloadConverter.toPayload(value);
}

describe('EncryptionCodec', () => {
  const k1 = newKey('k1');
  const k2 = newKey('k2');

  test('round trip restores the payload, metadata included', async () => {
    const codec = new EncryptionCodec({ currentKeyId: 'k1', keys: [k1] });
    const original = plainPayload();
    const [encrypted] = await codec.encode([original]);
    const [decrypted] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decrypted!)).toEqual(SECRET_INPUT);
    expect(text(decrypted!.metadata!.encoding)).toBe('json/plain');
  });

  test('encrypted payloads hide content and the original encoding, and name their key', async () => {
    const codec = new EncryptionCodec({ currentKeyId: 'k1', keys: [k1] });
    const [encrypted] = await codec.encode([plainPayload()]);
    expect(text(encrypted!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encrypted!.metadata![KEY_ID_METADATA])).toBe('k1');
    expect(Object.keys(encrypted!.metadata!).sort()).toEqual(['encoding', KEY_ID_METADATA].sort());
    const bytes = Buffer.from(encrypted!.data!);
    for (const clear of ['contoso-feed', '2026-03-14T09:26', 'adele.vance', 'json/plain']) expect(bytes.includes(clear)).toBe(false);
  });

  test('each encoding uses a fresh IV: the same input never gives the same ciphertext', async () => {
    const codec = new EncryptionCodec({ currentKeyId: 'k1', keys: [k1] });
    const [a, b] = await codec.encode([plainPayload(), plainPayload()]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
    expect(Buffer.from(a!.data!).subarray(0, 12).equals(Buffer.from(b!.data!).subarray(0, 12))).toBe(false);
  });

  test('a payload with empty data and several payloads at once survive the round trip', async () => {
    const codec = new EncryptionCodec({ currentKeyId: 'k1', keys: [k1] });
    const inputs = [defaultPayloadConverter.toPayload(undefined), plainPayload(1), plainPayload('x'.repeat(100_000))];
    const out = await codec.decode(await codec.encode(inputs));
    expect(out.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([undefined, 1, 'x'.repeat(100_000)]);
  });

  test('a tampered ciphertext fails GCM authentication with a clear error', async () => {
    const codec = new EncryptionCodec({ currentKeyId: 'k1', keys: [k1] });
    const [encrypted] = await codec.encode([plainPayload()]);
    for (const offset of [0, 20, encrypted!.data!.length - 1]) {
      const data = Buffer.from(encrypted!.data!);
      data[offset] = data[offset]! ^ 0x01;
      await expect(codec.decode([{ ...encrypted!, data }])).rejects.toThrow(DecryptionError);
    }
    const truncated = Buffer.from(encrypted!.data!).subarray(0, 20);
    await expect(codec.decode([{ ...encrypted!, data: truncated }])).rejects.toThrow(/too short/);
  });

  test('relabelling a payload with another configured key id does not decrypt it', async () => {
    const codec = new EncryptionCodec({ currentKeyId: 'k1', keys: [k1, { id: 'k1-copy', key: k1.key }] });
    const [encrypted] = await codec.encode([plainPayload()]);
    const relabelled = { ...encrypted!, metadata: { ...encrypted!.metadata, [KEY_ID_METADATA]: Buffer.from('k1-copy') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(/failed authentication with key "k1-copy"/);
  });

  test('a different key configured under the same id fails authentication', async () => {
    const [encrypted] = await new EncryptionCodec({ currentKeyId: 'k1', keys: [k1] }).encode([plainPayload()]);
    const impostor = new EncryptionCodec({ currentKeyId: 'k1', keys: [newKey('k1')] });
    await expect(impostor.decode([encrypted!])).rejects.toThrow(DecryptionError);
  });

  test('rotation: old payloads still decode after switching the current key; new ones use the new key id', async () => {
    const before = new EncryptionCodec({ currentKeyId: 'k1', keys: [k1] });
    const [old] = await before.encode([plainPayload()]);
    const after = new EncryptionCodec({ currentKeyId: 'k2', keys: [k1, k2] });
    const [fresh] = await after.encode([plainPayload({ n: 2 })]);
    expect(text(fresh!.metadata![KEY_ID_METADATA])).toBe('k2');
    const [oldBack, freshBack] = await after.decode([old!, fresh!]);
    expect(defaultPayloadConverter.fromPayload(oldBack!)).toEqual(SECRET_INPUT);
    expect(defaultPayloadConverter.fromPayload(freshBack!)).toEqual({ n: 2 });
    // Only k2 could open the new payload: the old codec does not have it.
    await expect(before.decode([fresh!])).rejects.toThrow(UnknownKeyIdError);
  });

  test('an unknown key id is an error that names it and the configured ids', async () => {
    const [encrypted] = await new EncryptionCodec({ currentKeyId: 'retired-2025', keys: [newKey('retired-2025')] }).encode([plainPayload()]);
    const codec = new EncryptionCodec({ currentKeyId: 'k2', keys: [k2] });
    const err = await codec.decode([encrypted!]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownKeyIdError);
    expect((err as Error).message).toContain('"retired-2025"');
    expect((err as Error).message).toContain('k2');
  });

  test('payloads that were never encrypted pass through decode unchanged', async () => {
    const codec = new EncryptionCodec({ currentKeyId: 'k1', keys: [k1] });
    const plain = plainPayload();
    const [out] = await codec.decode([plain]);
    expect(out).toBe(plain);
  });

  test('rejects keys of the wrong size and a current key id that is not among the keys', () => {
    expect(() => new EncryptionCodec({ currentKeyId: 'k1', keys: [{ id: 'k1', key: new Uint8Array(16) }] })).toThrow(/32 bytes, got 16/);
    expect(() => new EncryptionCodec({ currentKeyId: 'nope', keys: [k1] })).toThrow(/"nope" is not one of the keys \(k1\)/);
    expect(() => new EncryptionCodec({ currentKeyId: 'k1', keys: [k1, k1] })).toThrow(/given twice/);
  });
});
