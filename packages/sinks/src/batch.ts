import crypto from 'node:crypto';
import { compactTime, keySegment } from '@entra-ingest/store';
import { SinkError, type EventBatch } from './types';

/** Checks what every sink relies on; a malformed batch is a bug upstream, so it is not worth retrying. */
export function assertValidBatch(batch: EventBatch): void {
  const bad = (what: string): never => {
    throw new SinkError(`invalid event batch for feed ${JSON.stringify(batch?.feed)}: ${what}`, { retryable: false });
  };
  if (!batch || typeof batch !== 'object') bad('not an object');
  for (const field of ['feed', 'source', 'className'] as const) {
    if (typeof batch[field] !== 'string' || batch[field] === '') bad(`${field} must be a non-empty string`);
  }
  if (Number.isNaN(Date.parse(batch.windowStart))) bad(`windowStart is not an ISO date-time: ${JSON.stringify(batch.windowStart)}`);
  if (!Number.isInteger(batch.pass) || batch.pass < 0) bad(`pass must be a non-negative integer, got ${batch.pass}`);
  if (!Number.isInteger(batch.classUid)) bad(`classUid must be an integer, got ${batch.classUid}`);
  if (batch.part !== undefined && (!Number.isInteger(batch.part) || batch.part < 0)) bad(`part must be a non-negative integer, got ${batch.part}`);
  if (batch.eventTimeMs !== undefined && !Number.isFinite(batch.eventTimeMs)) bad(`eventTimeMs must be a number, got ${batch.eventTimeMs}`);
  if (!Array.isArray(batch.events)) bad('events must be an array of JSON texts');
  if (batch.recordIds !== undefined && (!Array.isArray(batch.recordIds) || batch.recordIds.length !== batch.events.length)) {
    bad('recordIds must be an array with one id per event');
  }
  batch.events.forEach((e, i) => {
    if (typeof e !== 'string' || e === '') bad(`event ${i} must be a non-empty JSON text`);
    if (e.includes('\n') || e.includes('\r')) bad(`event ${i} contains a line break (events must be single-line JSON)`);
  });
}

/** The time that picks a batch's date partition. */
export function batchTimeMs(batch: EventBatch): number {
  return batch.eventTimeMs ?? Date.parse(batch.windowStart);
}

/**
 * The batch's content as a name: a hash of its record ids (or, without ids, of its events). The same records always
 * get the same name, whichever window, pass, part or retry sends them, and different records never share one — so a
 * receiver that drops a repeated Idempotency-Key drops only what it already has. A `keyScope` (a resend after a
 * refusal) gives the same records another name.
 */
export function batchContentKey(batch: EventBatch): string {
  const hash = crypto.createHash('sha256');
  // A scope first, on its own line (JSON: no raw line break), so no scope and ids can read as other ones.
  if (batch.keyScope !== undefined) hash.update(`scope:${JSON.stringify(batch.keyScope)}\n`);
  // JSON of the array: unambiguous whatever the ids contain.
  hash.update(batch.recordIds ? `ids:${JSON.stringify(batch.recordIds)}` : `events:${JSON.stringify(batch.events)}`);
  return hash.digest('hex').slice(0, 32);
}

/** The readable parts of a batch's name (each one safe key segment) and its content key. */
export function batchIdentity(batch: EventBatch): { feed: string; source: string; window: string; className: string; content: string } {
  return {
    feed: keySegment(batch.feed),
    source: keySegment(batch.source),
    window: compactTime(batch.windowStart),
    className: keySegment(batch.className),
    content: batchContentKey(batch),
  };
}
