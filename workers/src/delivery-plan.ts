// The pure rules of delivery: which events a sink still needs, in which batches, and which ids each bucket settles.
import type { EventBatch } from '@entra-ingest/sinks';
import { hourBucketsBetween, roundBucket } from '@entra-ingest/store';

/** One mapped event with the record it came from and that record's bucket in the record index. */
export interface OwnedEvent {
  id: string;
  bucket: string;
  event: string;
}

/** Parses a part's ids file: a JSON array of [recordId, bucket], one per event line, same order. */
export function zipPart(eventsText: string, idsJson: string, where: string): OwnedEvent[] {
  const events = eventsText ? eventsText.split('\n') : [];
  const ids = JSON.parse(idsJson) as unknown;
  if (!Array.isArray(ids) || ids.length !== events.length || !ids.every((p) => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string')) {
    throw new Error(`part ${where}: its ids file does not hold one [id, bucket] pair per event (${events.length} events)`);
  }
  return events.map((event, i) => ({ id: (ids[i] as string[])[0]!, bucket: (ids[i] as string[])[1]!, event }));
}

/**
 * Every record-index bucket a pass of [windowStart, windowEnd) can claim in: the hours the window touches for a log
 * source, the round's bucket for an inventory.
 */
export function passBuckets(windowStart: string, windowEnd: string, timed: boolean): string[] {
  return timed ? hourBucketsBetween(Date.parse(windowStart), Date.parse(windowEnd)) : [roundBucket(windowStart)];
}

/** Ids per bucket, each once. */
export function idsByBucket(items: Iterable<{ id: string; bucket: string }>): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const { id, bucket } of items) {
    let ids = out.get(bucket);
    if (!ids) out.set(bucket, (ids = new Set()));
    ids.add(id);
  }
  return new Map([...out].map(([bucket, ids]) => [bucket, [...ids]]));
}

/**
 * The events a sink still has to receive — owned by this pass (`mine`) and not accepted by the sink before — cut into
 * batches of at most `max`. Deterministic: the same inputs give the same batches, hence the same content keys.
 */
export function batchesToSend(items: OwnedEvent[], mine: ReadonlySet<string>, accepted: ReadonlySet<string>, max: number): OwnedEvent[][] {
  if (!(max >= 1)) throw new RangeError(`batch size must be at least 1, got ${max}`);
  const todo = items.filter((e) => mine.has(e.id) && !accepted.has(e.id));
  const batches: OwnedEvent[][] = [];
  for (let i = 0; i < todo.length; i += max) batches.push(todo.slice(i, i + max));
  return batches;
}

/**
 * What a cancelled pass does with its claim: ids every sink accepted are settled; the others are released, with the
 * sinks that accepted them (the next claimant sends them to the other sinks only) — except ids a sink has in flight
 * (sent, answer unknown): those stay claimed, since sending them again under another batch name could duplicate
 * them; a re-run of this window re-sends that batch verbatim.
 */
export function releasePlan(
  claimed: string[], sinks: { sinkId: string; accepted: ReadonlySet<string>; pending: string[] }[],
): { settle: string[]; release: string[]; acceptedBy: Record<string, string[]>; keep: string[] } {
  // A pending batch the sink then accepted is done, not in flight.
  const inFlight = new Set(sinks.flatMap((s) => s.pending.filter((id) => !s.accepted.has(id))));
  const out = { settle: [] as string[], release: [] as string[], acceptedBy: {} as Record<string, string[]>, keep: [] as string[] };
  for (const id of claimed) {
    const by = sinks.filter((s) => s.accepted.has(id)).map((s) => s.sinkId);
    if (sinks.length > 0 && by.length === sinks.length) out.settle.push(id);
    else if (inFlight.has(id)) out.keep.push(id);
    else {
      out.release.push(id);
      if (by.length) out.acceptedBy[id] = by;
    }
  }
  return out;
}

/**
 * What a pass that has delivered does with the records it claimed and did not map this time: an earlier attempt read
 * other pages (a window that splits where the records say, re-read after records arrived late) or a record went from
 * Graph. Held on, they would be skipped by every other window for good. Ids every sink accepted are settled; the
 * others are released for whichever window reads them next, with the sinks that have them (sent to the others
 * only). Ids of a batch in flight that was not mapped again are released too: sent to that sink again rather than lost.
 */
export function strayClaimsPlan(
  claimed: readonly string[], mapped: ReadonlySet<string>, sinks: { sinkId: string; accepted: ReadonlySet<string> }[],
): { settle: string[]; release: string[]; acceptedBy: Record<string, string[]> } {
  const stray = claimed.filter((id) => !mapped.has(id));
  const { settle, release, acceptedBy } = releasePlan(stray, sinks.map((s) => ({ ...s, pending: [] })));
  return { settle, release, acceptedBy };
}

/**
 * A sink's batch in flight, as written before it is sent: the batch without its events. A retry maps the pass's
 * pages again into the same events (mapping is deterministic), so the ids are enough to send it again as it was;
 * writing the events too doubled what each batch cost to send. Blobs written before this still carry the events.
 */
export type InFlightBatch = Omit<EventBatch, 'events'> & { recordIds: string[]; events?: string[] };

/** The record of `batch` to write before sending it: its events only when it has no record ids to name them by. */
export function inFlightRecord(batch: EventBatch): Omit<EventBatch, 'events'> & { events?: string[] } {
  if (!batch.recordIds) return batch;
  const { events: _events, ...rest } = batch;
  return rest;
}

/**
 * Gathers the events of a batch in flight from the events of a pass as they are mapped again, so it can be sent
 * before any of its records goes out in another batch: same records, same order, hence same name and key. A record
 * counts once this attempt has mapped it (only then is it known to be this pass's); a blob that carries the events
 * gives their bytes as they were sent.
 */
export class InFlightAssembly {
  private readonly ids: ReadonlySet<string>;
  private readonly sent = new Map<string, string>();
  private readonly seen = new Map<string, string>();

  constructor(readonly batch: InFlightBatch) {
    this.ids = new Set(batch.recordIds);
    batch.events?.forEach((event, i) => this.sent.set(batch.recordIds[i]!, event));
  }

  /** Whether `id` belongs to this batch (and so waits for it rather than going out in another). */
  holds(id: string): boolean {
    return this.ids.has(id);
  }

  /** Takes the events of this batch's records among `events`. */
  offer(events: readonly OwnedEvent[]): void {
    if (this.complete) return;
    for (const e of events) if (this.ids.has(e.id) && !this.seen.has(e.id)) this.seen.set(e.id, this.sent.get(e.id) ?? e.event);
  }

  get complete(): boolean {
    return this.seen.size === this.ids.size;
  }

  /** Record ids not mapped again among those offered. */
  missing(): string[] {
    return this.batch.recordIds.filter((id) => !this.seen.has(id));
  }

  /**
   * The batch to send: the records seen, in the order they were sent. Complete, it is the batch as it was; short of
   * records (their mapping changed between attempts, e.g. an upgrade), the ones seen, under a new name.
   */
  toBatch(): EventBatch {
    const recordIds = this.batch.recordIds.filter((id) => this.seen.has(id));
    const { events: _events, ...rest } = this.batch;
    return { ...rest, recordIds, events: recordIds.map((id) => this.seen.get(id)!) };
  }
}
