import { OCSF_CLASSES } from '@entra-ingest/ocsf';
import { deadLetterCause, deliverIsolatingRejects, sinkRefusalCause, type EventBatch, type Sink, type StoredDeadLetter } from '@entra-ingest/sinks';
import type { BlobStore } from '@entra-ingest/store';

/** A batch to send again and the letters it empties. */
export interface ResendBatch {
  batch: EventBatch;
  letterKeys: string[];
}

/**
 * The events `sinkId` refused for good, as batches to send it again: one batch per source, window and class (the
 * sink's partitions), at most `maxEvents` each, in the order the letters were written. Only letters filed under that
 * sink's refusal with an event and a record id qualify; the others are returned with the reason they do not.
 */
export function resendBatches(letters: StoredDeadLetter[], sinkId: string, maxEvents: number): { batches: ResendBatch[]; unusable: { key: string; why: string }[] } {
  const groups = new Map<string, { base: Omit<EventBatch, 'events' | 'recordIds'>; items: { event: string; id: string; key: string }[] }>();
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
    g.items.push({ event: l.payload, id: l.recordId, key: l.key });
  }
  const batches: ResendBatch[] = [];
  for (const { base, items } of groups.values()) {
    for (let i = 0; i < items.length; i += maxEvents) {
      const slice = items.slice(i, i + maxEvents);
      batches.push({ batch: { ...base, events: slice.map((x) => x.event), recordIds: slice.map((x) => x.id) }, letterKeys: slice.map((x) => x.key) });
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
 * an event refused again keeps its letter. The other sinks had these events already (a refusal is per sink), and the
 * record index counts them delivered, so nothing else is sent. A failure that is not a refusal (the sink is down)
 * stops here: what was taken is removed, the rest stays for the next run.
 */
export async function resendDeadLetters(store: BlobStore, sink: Sink, letters: StoredDeadLetter[]): Promise<ResendOutcome> {
  const { batches, unusable } = resendBatches(letters, sink.id, sink.maxBatchEvents ?? Number.MAX_SAFE_INTEGER);
  const out: ResendOutcome = { resent: 0, refusedAgain: 0, unusable };
  for (const { batch, letterKeys } of batches) {
    const result = await deliverIsolatingRejects(batch, (b) => sink.deliver(b));
    const refused = new Set(result.rejected.map((r) => r.recordId));
    for (let i = 0; i < letterKeys.length; i++) if (!refused.has(batch.recordIds![i])) await store.delete(letterKeys[i]!);
    out.resent += result.delivered;
    out.refusedAgain += result.rejected.length;
  }
  return out;
}
