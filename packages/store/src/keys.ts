import crypto from 'node:crypto';

/**
 * Blob keys are '/'-joined segments over a small alphabet. Anything outside it is refused rather than cleaned up,
 * so a key can never name a path outside the store's root (no '..', no absolute paths, no separators in disguise).
 */
const SEGMENT = /^[A-Za-z0-9._=:+-]+$/;
export const MAX_KEY_LENGTH = 1024;
/** Leaves room for a temp-file suffix under the usual 255-byte file name limit. */
export const MAX_SEGMENT_LENGTH = 200;
/** Longer encodings are shortened and made unique with a hash of the original value. */
const MAX_ENCODED_SEGMENT = 120;

export class UnsafeKeyError extends Error {
  override name = 'UnsafeKeyError';
}

function describe(key: string): string {
  return JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key);
}

export function assertSafeKey(key: string): void {
  if (typeof key !== 'string') throw new UnsafeKeyError(`blob key must be a string, got ${typeof key}`);
  if (key.length === 0) throw new UnsafeKeyError('blob key must not be empty');
  if (key.length > MAX_KEY_LENGTH) throw new UnsafeKeyError(`blob key ${describe(key)} is longer than ${MAX_KEY_LENGTH} characters`);
  const segments = key.split('/');
  segments.forEach((segment, i) => {
    const where = `segment ${i + 1} of blob key ${describe(key)}`;
    if (segment === '') throw new UnsafeKeyError(`${where} is empty (leading, trailing or doubled '/')`);
    if (!SEGMENT.test(segment)) throw new UnsafeKeyError(`${where} has characters outside [A-Za-z0-9._=:+-]`);
    if (segment.includes('..')) throw new UnsafeKeyError(`${where} contains '..'`);
    if (segment.startsWith('.')) throw new UnsafeKeyError(`${where} starts with '.'`);
    if (segment.length > MAX_SEGMENT_LENGTH) throw new UnsafeKeyError(`${where} is longer than ${MAX_SEGMENT_LENGTH} characters`);
  });
}

/** True for a string that is one valid key segment (used to skip foreign files such as temp files when listing). */
export function isSafeSegment(segment: string): boolean {
  return SEGMENT.test(segment) && !segment.includes('..') && !segment.startsWith('.') && segment.length <= MAX_SEGMENT_LENGTH;
}

/**
 * Encodes any string as one safe segment, injectively: characters outside the alphabet (and '=', the escape
 * character) become `=XX` per UTF-8 byte; a '.' at the start or after another '.' is escaped too. The empty string
 * is '='. Very long values keep a readable prefix followed by `=h` and a hash of the whole value.
 */
export function keySegment(value: string): string {
  if (typeof value !== 'string') throw new TypeError(`keySegment needs a string, got ${typeof value}`);
  if (value === '') return '=';
  let out = '';
  let prev = '';
  for (const ch of value) {
    if (/^[A-Za-z0-9_:+-]$/.test(ch) || (ch === '.' && prev !== '' && prev !== '.')) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    prev = ch;
  }
  if (out.length <= MAX_ENCODED_SEGMENT) return out;
  const hash = crypto.createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 32);
  return `${out.slice(0, MAX_ENCODED_SEGMENT - 34)}=h${hash}`;
}

/** 2026-11-01T12:00:00.000Z → 20261101T120000Z (milliseconds kept only when not zero). Always UTC. */
export function compactTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO date-time: ${JSON.stringify(iso)}`);
  const s = new Date(ms).toISOString();
  const millis = s.slice(20, 23);
  return `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}T${s.slice(11, 13)}${s.slice(14, 16)}${s.slice(17, 19)}${millis === '000' ? '' : `.${millis}`}Z`;
}
