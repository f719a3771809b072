import type { Payload } from '@temporalio/common';

/** A payload as proto3 JSON: bytes fields (data and each metadata value) are base64 strings. */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export class PayloadJsonError extends Error {
  override name = 'PayloadJsonError';
}

// Proto3 JSON parsers accept both alphabets and optional padding.
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function bytesOf(value: unknown, where: string): Uint8Array {
  if (typeof value !== 'string' || !BASE64.test(value)) throw new PayloadJsonError(`${where} must be a base64 string`);
  return new Uint8Array(Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64'));
}

/** Reads `{"payloads":[…]}` as sent by the Temporal Web UI and CLI; errors say which payload and field is wrong. */
export function payloadsFromJson(body: unknown): Payload[] {
  const list = (body as { payloads?: unknown } | null)?.payloads;
  if (typeof body !== 'object' || body === null || !Array.isArray(list)) throw new PayloadJsonError('body must be a JSON object with a "payloads" array');
  return list.map((raw, i) => {
    const where = `payloads[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new PayloadJsonError(`${where} must be an object`);
    const { metadata = {}, data } = raw as { metadata?: unknown; data?: unknown };
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw new PayloadJsonError(`${where}.metadata must be an object`);
    const meta: Record<string, Uint8Array> = {};
    for (const [key, value] of Object.entries(metadata)) meta[key] = bytesOf(value, `${where}.metadata.${key}`);
    return { metadata: meta, data: data === undefined ? new Uint8Array() : bytesOf(data, `${where}.data`) };
  });
}

export function payloadsToJson(payloads: Payload[]): { payloads: JsonPayload[] } {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
    })),
  };
}
