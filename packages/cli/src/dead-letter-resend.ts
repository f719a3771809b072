import { OCSF_CLASSES } from '@entra-ingest/ocsf';
import {
  deadLetterCause, deliverIsolatingRejects, sinkRefusalCause, updateDeadLetter, type EventBatch, type Sink, type StoredDeadLetter,
} from '@entra-ingest/sinks';
import type { BlobStore } from '@entra-ingest/store';

/** A batch to send again and the letters it empties. */
export interface ResendBatch {
  batch: EventBatch;
  letters: StoredDeadLetter[];
}

/**
 * The events `sinkId` refused for good, as batches to send it again: one batch per source, window and class (the
 * sink's partitions), at most `maxEvents` each, in the order the letters were written. Only letters filed under that
 * sink's refusal with an event and a record id qualify; the others are returned with the reason they do not.
 *
 * A batch's key is scoped by its letters and how often each was refused again: it differs from the key of the
 * request the sink refused (a receiver may give a repeated Idempotency-Key its first answer, or take it as a
 * duplicate and drop the events), stays the same when a resend whose answer got lost is run again, and changes after
 * each refusal.
 */
export function resendBatches(letters: StoredDeadLetter[], sinkId: string, maxEvents: number): { batches: ResendBatch[]; unusable: { key: string; why: string }[] } {
  const groups = new Map<string, { base: Omit<EventBatch, 'events' | 'recordIds'>; items: { event: string; id: string; letter: StoredDeadLetter }[] }>();
  const unusable: { key: string; why: string }[] = [];
  for (const l of letters) {
    if (deadLetterCause(l.reason) !== sinkRefusalCause(sinkId)) continue;
    if (typeof l.payload !== 'string' || l.recordId === undefined) {
      unusable.push({ key: l.key, why: 'the letter holds no event text and record id' });
      continue;
    }
    let classUid: unknown;
    try {
      classUid = (JSON.parse(l.payload) as { class_uid?: unknown }).class_uid;
    } catch {
      unusable.push({ key: l.key, why: 'its event is not JSON' });
      continue;
    }
    if (typeof classUid !== 'number' || !Number.isInteger(classUid)) {
      unusable.push({ key: l.key, why: 'its event has no class_uid' });
      continue;
    }
    const group = JSON.stringify([l.source, l.windowStart, classUid]);
    let g = groups.get(group);
    if (!g) {
      const className = OCSF_CLASSES[classUid]?.name ?? `class_${classUid}`;
      groups.set(group, (g = { base: { feed: l.feed, source: l.source, windowStart: l.windowStart, pass: 0, classUid, className }, items: [] }));
    }
    g.items.push({ event: l.payload, id: l.recordId, letter: l });
  }
  const batches: ResendBatch[] = [];
  for (const { base, items } of groups.values()) {
    for (let i = 0; i < items.length; i += maxEvents) {
      const slice = items.slice(i, i + maxEvents);
      const keyScope = `resend:${JSON.stringify(slice.map((x) => [x.letter.key, x.letter.resent ?? 0]))}`;
      batches.push({ batch: { ...base, events: slice.map((x) => x.event), recordIds: slice.map((x) => x.id), keyScope }, letters: slice.map((x) => x.letter) });
    }
  }
  return { batches, unusable };
}

export interface ResendOutcome {
  resent: number;
  refusedAgain: number;
  unusable: { key: string; why: string }[];
}

/**
 * Sends the sink the events it refused, batch by batch, and removes each letter once the sink has taken its event;
 * an event refused again keeps its letter, with the new answer and one more refusal counted (its next resend goes
 * under a new key). The other sinks had these events already (a refusal is per sink), and the
 * record index counts them delivered, so nothing else is sent. A failure that is not a refusal (the sink is down)
 * stops here: what was taken is removed, the rest stays for the next run.
 */
export async function resendDeadLetters(store: BlobStore, sink: Sink, letters: StoredDeadLetter[]): Promise<ResendOutcome> {
  const { batches, unusable } = resendBatches(letters, sink.id, sink.maxBatchEvents ?? Number.MAX_SAFE_INTEGER);
  const out: ResendOutcome = { resent: 0, refusedAgain: 0, unusable };
  for (const { batch, letters } of batches) {
    const result = await deliverIsolatingRejects(batch, (b) => sink.deliver(b));
    const refused = new Map(result.rejected.map((r) => [r.recordId, r.answer]));
    for (const letter of letters) {
      const answer = refused.get(letter.recordId);
      if (answer === undefined) await store.delete(letter.key);
      else await updateDeadLetter(store, letter, { reason: `${sinkRefusalCause(sink.id)}: ${answer}`, resent: (letter.resent ?? 0) + 1 });
    }
    out.resent += result.delivered;
    out.refusedAgain += result.rejected.length;
  }
  return out;
}
