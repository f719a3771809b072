import { RecordIndex, hourBucket, legacyDeliveredIds, recordIdProblem, roundBucket, type BlobStore } from '@entra-ingest/store';
import type { DeadLetter } from '@entra-ingest/sinks';
import { mapRecord, recordId, recordTime, serializeEvent, type EventValidator } from '@entra-ingest/ocsf';
import { isLogSource } from '@entra-ingest/sources';
import type { WindowPass } from '@entra-ingest/workflows';
import { readPageRecords } from './page-blobs';
import { unstorableReason } from './unstorable';

/** One record's event, ready for a part: the serialized event with its record id and record-index bucket. */
export interface MappedEvent {
  classUid: number;
  line: string;
  timeMs: number;
  id: string;
  bucket: string;
}

export interface MappingCounts {
  duplicatesSkipped: number;
  outsideWindow: number;
  /** Records that became dead letters (with the reason), kept until the caller writes them. */
  letters: DeadLetter[];
}

/**
 * Turns a pass's records into events, keeping each record once — only records whose time falls in
 * [windowStart, windowEnd), whose id is usable, and that the feed's record index does not show as delivered or
 * claimed by another window — mapped to OCSF (validated when configured) and serialized. Records that cannot be
 * mapped or fail validation become dead letters with the reason; nothing is dropped silently.
 */
export class RecordMapper {
  readonly counts: MappingCounts = { duplicatesSkipped: 0, outsideWindow: 0, letters: [] };
  private readonly seen = new Set<string>();
  private readonly unavailable = new Map<string, Set<string>>();
  private readonly index: RecordIndex;
  private readonly startMs: number;
  private readonly endMs: number;
  private readonly timed: boolean;
  /** Where an inventory round's records are claimed (timed records go by their hour). */
  private readonly roundBucket: string;
  private readonly ctxBase: { feed: string; source: string; windowStart: string };

  private constructor(
    store: BlobStore, private readonly w: WindowPass, private readonly claimant: string, private readonly tenantId: string,
    private readonly validator: EventValidator | undefined, private readonly legacy: Set<string>, private readonly leasesOn: boolean,
  ) {
    this.index = new RecordIndex(store, w.feed, w.source);
    this.startMs = Date.parse(w.windowStart);
    this.endMs = Date.parse(w.windowEnd);
    this.timed = isLogSource(w.source);
    this.roundBucket = roundBucket(w.windowStart);
    this.ctxBase = { feed: w.feed, source: w.source, windowStart: w.windowStart };
  }

  /** `leasesOn`: claims carry leases (config `claimLease`), so records of a window gone past its lease are available. */
  static async create(store: BlobStore, w: WindowPass, claimant: string, tenantId: string, validator: EventValidator | undefined, leasesOn = false): Promise<RecordMapper> {
    // A window open across the upgrade to the record index: what it delivered before is in its old manifest.
    const legacy = await legacyDeliveredIds(store, { feed: w.feed, source: w.source, windowStart: w.windowStart, windowEnd: w.windowEnd });
    return new RecordMapper(store, w, claimant, tenantId, validator, legacy, leasesOn);
  }

  /** Delivered (or being delivered) by anyone, any window: read once per bucket this pass touches. */
  private async loadUnavailable(bucket: string): Promise<Set<string>> {
    // With leases on, records of a window gone for longer than the lease are available: delivery takes them over.
    const ids = await this.index.unavailable(bucket, this.claimant, this.leasesOn ? Date.now() : undefined);
    this.unavailable.set(bucket, ids);
    return ids;
  }

  /**
   * The events of one page's records, in order; skipped records are counted and dead letters kept in `counts`.
   * Awaits only to read a bucket met for the first time: the record loop itself runs without a microtask per record.
   */
  async eventsOf(records: unknown[]): Promise<MappedEvent[]> {
    const { w, ctxBase, counts } = this;
    const out: MappedEvent[] = [];
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      const unstorable = unstorableReason(record);
      if (unstorable !== undefined) {
        counts.letters.push({ ...ctxBase, reason: unstorable, recordId: recordId(w.source, record), index: i, payload: record });
        continue;
      }
      const id = recordId(w.source, record);
      if (id === undefined) {
        counts.letters.push({ ...ctxBase, reason: 'record has no usable id', index: i, payload: record });
        continue;
      }
      const idProblem = recordIdProblem(id);
      if (idProblem !== undefined) {
        counts.letters.push({ ...ctxBase, reason: `record id cannot be used: ${idProblem}`, index: i, payload: record });
        continue;
      }
      let bucket = this.roundBucket;
      if (this.timed) {
        const t = recordTime(w.source, record);
        if (t === undefined) {
          if (!this.seen.has(id)) counts.letters.push({ ...ctxBase, reason: 'record has no usable time', recordId: id, payload: record });
          this.seen.add(id);
          continue;
        }
        if (t < this.startMs || t >= this.endMs) {
          counts.outsideWindow++;
          continue;
        }
        bucket = hourBucket(t);
      }
      const unavailable = this.unavailable.get(bucket) ?? (await this.loadUnavailable(bucket));
      if (this.seen.has(id) || this.legacy.has(id) || unavailable.has(id)) {
        counts.duplicatesSkipped++;
        continue;
      }
      this.seen.add(id);
      let event;
      try {
        // Inventories carry no time of their own: the round's start makes the event, and a retry's bytes, deterministic.
        event = mapRecord(w.source, record, { tenantId: this.tenantId, observedTime: this.startMs });
      } catch (err) {
        counts.letters.push({ ...ctxBase, reason: `cannot map: ${(err as Error).message}`, recordId: id, payload: record });
        continue;
      }
      if (this.validator) {
        let v;
        try {
          v = this.validator.validate(event);
        } catch (err) {
          // The compiled validators recurse: an event nested deeper than the stack allows cannot be judged.
          v = { valid: false, errors: [`the event cannot be validated: ${(err as Error).message}`] };
        }
        if (!v.valid) {
          counts.letters.push({ ...ctxBase, reason: `invalid OCSF event: ${v.errors.join('; ')}`, recordId: id, payload: event });
          continue;
        }
      }
      let line: string;
      try {
        line = serializeEvent(event);
      } catch (err) {
        counts.letters.push({ ...ctxBase, reason: `cannot serialise the OCSF event: ${(err as Error).message}`, recordId: id, payload: record });
        continue;
      }
      out.push({ classUid: event.class_uid, line, timeMs: event.time, id, bucket });
    }
    return out;
  }
}

/**
 * Events per part, and the most a pass holds at once over all its classes: bounds what a worker holds however large a
 * window is and however many classes its records map to (and cuts the sinks' files).
 */
export const EVENTS_PER_PART = 10_000;

/** A class's events gathered until they make a part. */
export interface PendingPart {
  classUid: number;
  part: number;
  lines: string[];
  ids: [string, string][];
  newestTimeMs?: number;
}

/**
 * Cuts events into parts per class: a part is complete at EVENTS_PER_PART events of its class, or, when the open
 * parts of all classes hold EVENTS_PER_PART events between them, the largest of them is (the lowest class on a tie);
 * what is left of each class is a last part, in class order. The same events in the same order always give the same
 * parts.
 */
export class PartCutter {
  private open = new Map<number, PendingPart>();
  private nextPart = new Map<number, number>();
  private held = 0;

  constructor(private readonly eventsPerPart = EVENTS_PER_PART) {}

  /** Adds an event; returns the part it completed, if any. */
  add(e: MappedEvent): PendingPart | undefined {
    let p = this.open.get(e.classUid);
    if (!p) {
      const part = this.nextPart.get(e.classUid) ?? 0;
      this.open.set(e.classUid, (p = { classUid: e.classUid, part, lines: [], ids: [] }));
    }
    p.lines.push(e.line);
    p.ids.push([e.id, e.bucket]);
    this.held++;
    if (e.timeMs > (p.newestTimeMs ?? -Infinity)) p.newestTimeMs = e.timeMs;
    if (this.held < this.eventsPerPart) return undefined;
    return this.complete(this.largestOpen());
  }

  /** The incomplete parts, in class order; the cutter is empty afterwards. */
  rest(): PendingPart[] {
    const out = [...this.open.values()].filter((p) => p.lines.length > 0).sort((a, b) => a.classUid - b.classUid);
    for (const p of out) this.nextPart.set(p.classUid, p.part + 1);
    this.open.clear();
    this.held = 0;
    return out;
  }

  private largestOpen(): PendingPart {
    let largest: PendingPart | undefined;
    for (const p of this.open.values()) {
      if (!largest || p.lines.length > largest.lines.length || (p.lines.length === largest.lines.length && p.classUid < largest.classUid)) largest = p;
    }
    return largest!;
  }

  private complete(p: PendingPart): PendingPart {
    this.open.delete(p.classUid);
    this.nextPart.set(p.classUid, p.part + 1);
    this.held -= p.lines.length;
    return p;
  }
}

/**
 * Maps a pass's stored pages in order into parts: each part goes to `onPart` as soon as it is full, the rest after
 * the last page; `onPage` runs after each page (a heartbeat).
 */
export async function mapPagesIntoParts(
  store: BlobStore, w: WindowPass & { pages: number }, mapper: RecordMapper, onPart: (p: PendingPart) => Promise<void>, onPage: (page: number) => void,
): Promise<void> {
  const cutter = new PartCutter();
  for await (const { page, records } of readPageRecords(store, w, w.pages)) {
    for (const e of await mapper.eventsOf(records)) {
      const full = cutter.add(e);
      if (full) await onPart(full);
    }
    onPage(page);
  }
  for (const p of cutter.rest()) await onPart(p);
}
