import crypto from 'node:crypto';
import { BlobNotFoundError, type BlobStore, keySegment } from '@entra-ingest/store';

/**
 * Something that could not be turned into an event or delivered, kept with enough context to act on it.
 * `reason` reads `<cause>: <detail>`; the cause (the part before the first ": ") is what stays the same however
 * often the record is met, e.g. "record has no usable time" or "sink siem rejected the event".
 */
export interface DeadLetter {
  reason: string;
  feed: string;
  source: string;
  windowStart: string;
  recordId?: string;
  index?: number;
  payload?: unknown;
  /** How many times `dead-letters --resend` sent the event and the sink refused it again. */
  resent?: number;
}

/** A dead letter as stored: the letter, when it was first written, and its key in the store. */
export interface StoredDeadLetter extends DeadLetter {
  writtenAt: string;
  key: string;
}

/** Every dead letter lives under this prefix of the blob store (file or S3), so any host of the deployment sees it. */
export const DEAD_LETTER_PREFIX = 'dead-letters';

/** Letters written at once: independent blobs, each a round trip to the store. */
const WRITES_AT_ONCE = 16;

/** The cause a sink's permanent refusal of an event is filed under (the reason adds the receiver's answer). */
export function sinkRefusalCause(sinkId: string): string {
  return `sink ${sinkId} rejected the event`;
}

/** The stable part of a reason: up to the first ": ". */
export function deadLetterCause(reason: string): string {
  const colon = reason.indexOf(': ');
  return colon < 0 ? reason : reason.slice(0, colon);
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 40);
}

function payloadText(payload: unknown): string | undefined {
  try {
    return JSON.stringify(payload);
  } catch {
    return undefined;
  }
}

/**
 * `dead-letters/<feed>/<source>/<cause>/<record>`: one blob per record and cause, so meeting the same record again
 * (another window, pass, sweep or retry) finds its letter instead of adding one. A record without a usable id is
 * named by its content (or, when that cannot be serialised, by its window and position).
 */
export function deadLetterKey(letter: DeadLetter): string {
  const record = letter.recordId !== undefined
    ? keySegment(letter.recordId)
    : `=content-${sha256(payloadText(letter.payload) ?? `${letter.windowStart}#${letter.index ?? ''}`)}`;
  return [DEAD_LETTER_PREFIX, keySegment(letter.feed), keySegment(letter.source), keySegment(deadLetterCause(letter.reason)), record].join('/');
}

/** Where a feed's (and optionally a source's) dead letters are. */
export function deadLetterPrefix(feed: string, source?: string): string {
  return [DEAD_LETTER_PREFIX, keySegment(feed), ...(source === undefined ? [] : [keySegment(source)])].join('/');
}

function serialize(entry: DeadLetter, writtenAt: string): string {
  const line = { writtenAt, ...entry };
  try {
    return JSON.stringify(line);
  } catch (err) {
    // A payload that cannot be serialised (cycle, BigInt) must not lose the rest of the letter.
    return JSON.stringify({ ...line, payload: `[unserializable payload: ${(err as Error).message}]` });
  }
}

/**
 * Dead letters in the deployment's blob store. Each is created only if absent (compare-and-swap on "no version"),
 * so concurrent writers on different hosts keep exactly one letter per record and cause, the first one written.
 */
export class DeadLetterWriter {
  constructor(private readonly store: BlobStore, private readonly now: () => Date = () => new Date()) {}

  /** Writes the letters not stored yet; returns how many were new and how many were already there. */
  async write(entries: DeadLetter[]): Promise<{ written: number; existing: number; keys: string[] }> {
    const writtenAt = this.now().toISOString();
    const byKey = new Map<string, DeadLetter>();
    for (const e of entries) if (!byKey.has(deadLetterKey(e))) byKey.set(deadLetterKey(e), e);
    const todo = [...byKey];
    let written = 0;
    const run = async (): Promise<void> => {
      for (let next = todo.shift(); next; next = todo.shift()) {
        const [key, letter] = next;
        if ((await this.store.putIfVersion(key, serialize(letter, writtenAt), null)) !== undefined) written++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITES_AT_ONCE, todo.length) }, run));
    return { written, existing: byKey.size - written, keys: [...byKey.keys()] };
  }
}

/** Rewrites a stored letter in place (same key, same first-written time): what a resend that was refused again learnt. */
export async function updateDeadLetter(store: BlobStore, letter: StoredDeadLetter, changes: Partial<DeadLetter>): Promise<void> {
  const { key, writtenAt, ...rest } = letter;
  await store.put(key, serialize({ ...rest, ...changes }, writtenAt));
}

/** Reads the dead letters under a prefix (see deadLetterPrefix), oldest first. */
export async function readDeadLetters(store: BlobStore, prefix: string = DEAD_LETTER_PREFIX): Promise<StoredDeadLetter[]> {
  const out: StoredDeadLetter[] = [];
  for (const key of await store.list(prefix)) {
    let letter: DeadLetter & { writtenAt: string };
    try {
      letter = JSON.parse((await store.get(key)).toString('utf8')) as DeadLetter & { writtenAt: string };
    } catch (err) {
      if (err instanceof BlobNotFoundError) continue; // removed while listing
      throw err;
    }
    out.push({ ...letter, key });
  }
  return out.sort((a, b) => a.writtenAt.localeCompare(b.writtenAt) || a.key.localeCompare(b.key));
}
