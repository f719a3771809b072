import type { DataConverter, PayloadCodec } from '@temporalio/common';
import { type AppConfig, ConfigError, describeSecretRef, resolveSecret } from '@entra-ingest/config';
import { EncryptionCodec } from './encryption-codec';
import { type EncryptionKey, parseKeyMaterial } from './keys';

/** Module exporting the failure converter that encodes error messages, for DataConverter.failureConverterPath. */
export const ENCODED_FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The payload codecs `temporal.encryption` asks for, or undefined when encryption is off. Key secrets are read now
 * (relative files against `baseDir`, the config's folder); a missing or malformed key is a ConfigError naming the key
 * id and where its secret was looked for, never the secret.
 */
export function codecFromConfig(config: Pick<AppConfig, 'temporal'>, baseDir: string = process.cwd()): PayloadCodec[] | undefined {
  const enc = config.temporal.encryption;
  if (!enc) return undefined;
  const keys: EncryptionKey[] = enc.keys.map((k, i) => {
    const where = `temporal.encryption.keys[${i}] (key id "${k.id}", ${describeSecretRef(k.key)})`;
    try {
      return { id: k.id, key: parseKeyMaterial(resolveSecret(k.key, baseDir), where) };
    } catch (err) {
      const message = (err as Error).message;
      throw new ConfigError(message.startsWith(where) ? message : `${where}: ${message}`);
    }
  });
  return [new EncryptionCodec({ currentKeyId: enc.currentKeyId, keys })];
}

/** What to give Worker.create and Client as `dataConverter`: encrypting codecs plus encoded failure messages. */
export function dataConverterFromConfig(config: Pick<AppConfig, 'temporal'>, baseDir: string = process.cwd()): DataConverter | undefined {
  const payloadCodecs = codecFromConfig(config, baseDir);
  return payloadCodecs ? { payloadCodecs, failureConverterPath: ENCODED_FAILURE_CONVERTER_PATH } : undefined;
}
