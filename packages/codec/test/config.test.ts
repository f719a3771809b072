import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { ConfigError, parseConfig } from '@entra-ingest/config';
import { codecFromConfig, dataConverterFromConfig, ENCODED_FAILURE_CONVERTER_PATH, EncryptionCodec, KEY_ID_METADATA, parseKeyMaterial } from '../src';

const feed = { id: 'f', tenantId: 't', clientId: 'c', credential: { clientSecret: { env: 'X' } } };
const withEncryption = (encryption: unknown) => ({ temporal: { encryption }, feeds: [feed] });
const base64Key = () => crypto.randomBytes(32).toString('base64');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codec-config-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.CODEC_TEST_KEY;
});

describe('temporal.encryption in the config schema', () => {
  test('is optional: no encryption, no codecs', () => {
    const config = parseConfig({ feeds: [feed] });
    expect(config.temporal.encryption).toBeUndefined();
    expect(codecFromConfig(config, dir)).toBeUndefined();
    expect(dataConverterFromConfig(config, dir)).toBeUndefined();
  });

  test('currentKeyId must be one of the key ids', () => {
    expect(() => parseConfig(withEncryption({ currentKeyId: 'k9', keys: [{ id: 'k1', key: { env: 'K1' } }] }))).toThrow(
      /temporal\.encryption\.currentKeyId: "k9" is not one of the key ids \(k1\)/,
    );
  });

  test('key ids are unique and keys are references, never inline values', () => {
    expect(() => parseConfig(withEncryption({ currentKeyId: 'k1', keys: [{ id: 'k1', key: { env: 'A' } }, { id: 'k1', key: { env: 'B' } }] }))).toThrow(/key id "k1" is used twice/);
    expect(() => parseConfig(withEncryption({ currentKeyId: 'k1', keys: [{ id: 'k1', key: base64Key() }] }))).toThrow(/temporal\.encryption\.keys\[0\]\.key/);
  });
});

describe('codecFromConfig', () => {
  test('reads keys from a file relative to baseDir and from an environment variable', async () => {
    fs.writeFileSync(path.join(dir, 'old.key'), `${base64Key()}\n`);
    process.env.CODEC_TEST_KEY = base64Key();
    const config = parseConfig(withEncryption({ currentKeyId: 'new', keys: [{ id: 'old', key: { file: 'old.key' } }, { id: 'new', key: { env: 'CODEC_TEST_KEY' } }] }));
    const codecs = codecFromConfig(config, dir)!;
    expect(codecs).toHaveLength(1);
    expect(codecs[0]).toBeInstanceOf(EncryptionCodec);
    const [encrypted] = await codecs[0]!.encode([defaultPayloadConverter.toPayload('hello')]);
    expect(Buffer.from(encrypted!.metadata![KEY_ID_METADATA]!).toString()).toBe('new');
    const [back] = await codecs[0]!.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(back!)).toBe('hello');
  });

  test('the data converter also encodes failure messages', () => {
    process.env.CODEC_TEST_KEY = base64Key();
    const config = parseConfig(withEncryption({ currentKeyId: 'k', keys: [{ id: 'k', key: { env: 'CODEC_TEST_KEY' } }] }));
    const dc = dataConverterFromConfig(config, dir)!;
    expect(dc.payloadCodecs).toHaveLength(1);
    expect(dc.failureConverterPath).toBe(ENCODED_FAILURE_CONVERTER_PATH);
    const { failureConverter } = require(ENCODED_FAILURE_CONVERTER_PATH) as { failureConverter: { options: { encodeCommonAttributes: boolean } } };
    expect(failureConverter.options.encodeCommonAttributes).toBe(true);
  });

  test('a missing or malformed key is a ConfigError naming the key id and where, never the value', () => {
    const cfg = (ref: unknown) => parseConfig(withEncryption({ currentKeyId: 'k1', keys: [{ id: 'k1', key: ref }] }));
    expect(() => codecFromConfig(cfg({ file: 'absent.key' }), dir)).toThrow(ConfigError);
    expect(() => codecFromConfig(cfg({ file: 'absent.key' }), dir)).toThrow(/keys\[0\] \(key id "k1", file absent\.key\).*cannot read file/);
    expect(() => codecFromConfig(cfg({ env: 'CODEC_TEST_KEY' }), dir)).toThrow(/environment variable CODEC_TEST_KEY is not set/);
    const short = crypto.randomBytes(16).toString('base64');
    process.env.CODEC_TEST_KEY = short;
    const err = (() => {
      try {
        codecFromConfig(cfg({ env: 'CODEC_TEST_KEY' }), dir);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toMatch(/key id "k1".*must decode to 32 bytes for AES-256, got 16/);
    expect(err?.message).not.toContain(short);
  });
});

describe('parseKeyMaterial', () => {
  test('accepts 32 bytes of base64 with surrounding whitespace', () => {
    const raw = crypto.randomBytes(32);
    expect(Buffer.from(parseKeyMaterial(` ${raw.toString('base64')}\n`, 'k')).equals(raw)).toBe(true);
  });

  test('rejects text that is not strict base64 rather than decoding part of it', () => {
    const good = crypto.randomBytes(32).toString('base64');
    expect(() => parseKeyMaterial(`${good.slice(0, 20)}!${good.slice(21)}`, 'key "k"')).toThrow(/key "k": is not base64/);
    expect(() => parseKeyMaterial('', 'key "k"')).toThrow(/must decode to 32 bytes/);
  });
});
