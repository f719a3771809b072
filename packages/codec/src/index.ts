export { EncryptionCodec, DecryptionError, UnknownKeyIdError, ENCRYPTED_ENCODING, KEY_ID_METADATA } from './encryption-codec';
export type { EncryptionCodecOptions } from './encryption-codec';
export { KEY_BYTES, KeyMaterialError, parseKeyMaterial } from './keys';
export type { EncryptionKey } from './keys';
export { codecFromConfig, dataConverterFromConfig, ENCODED_FAILURE_CONVERTER_PATH } from './config';
export { CodecServerSetupError, startCodecServer } from './codec-server';
export type { CodecServerLogger, CodecServerOptions, RunningCodecServer } from './codec-server';
export { payloadsFromJson, payloadsToJson, PayloadJsonError } from './payload-json';
export type { JsonPayload } from './payload-json';
