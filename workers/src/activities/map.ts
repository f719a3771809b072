import crypto from 'node:crypto';
import { Context } from '@temporalio/activity';
import { RecordIndex, hourBucket, legacyDeliveredIds, recordIdProblem, roundBucket, type BlobStore } from '@entra-ingest/store';
import { DeadLetterWriter, type DeadLetter } from '@entra-ingest/sinks';
import { OCSF_CLASSES, mapRecord, recordId, recordTime, serializeEvent, type EventValidator } from '@entra-ingest/ocsf';
import { isLogSource } from '@entra-ingest/sources';
import type { MapResult, MappedClass, WindowPass } from '@entra-ingest/workflows';
import type { FeedRegistry } from '../feeds';
import { unknownFeed } from '../failures';
import type { IngestMetrics } from '../metrics';
import { unstorableReason } from '../unstorable';
import { withHeartbeat } from '../heartbeat';
import { type EventPart, type EventsIndex, claimantOf, eventPartIdsKey, eventPartKey, eventsIndexKey, eventsPrefix, pageKey } from '../window-layout';

/** Events per part file: bounds the worker's memory however large a window is. */
export const EVENTS_PER_PART = 10_000;

class PartWriter {
  private lines = new Map<number, string[]>();
  private ids = new Map<number, [string, string][]>();
  private partNo = new Map<number, number>();
  private newest = new Map<number, number>();
  readonly parts: EventPart[] = [];

  constructor(private readonly store: BlobStore, private readonly w: WindowPass) {}

  async add(classUid: number, line: string, timeMs: number, recordId: string, bucket: string): Promise<void> {
    if (timeMs > (this.newest.get(classUid) ?? -Infinity)) this.newest.set(classUid, timeMs);
    let lines = this.lines.get(classUid);
    if (!lines) this.lines.set(classUid, (lines = []));
    let ids = this.ids.get(classUid);
    if (!ids) this.ids.set(classUid, (ids = []));
    lines.push(line);
    ids.push([recordId, bucket]);
    if (lines.length >= EVENTS_PER_PART) await this.flush(classUid);
  }

  async flush(classUid: number): Promise<void> {
    const lines = this.lines.get(classUid);
    if (!lines?.length) return;
    const part = this.partNo.get(classUid) ?? 0;
    const key = eventPartKey(this.w, classUid, part);
    const idsKey = eventPartIdsKey(this.w, classUid, part);
    await this.store.put(key, lines.join('\n'));
    await this.store.put(idsKey, JSON.stringify(this.ids.get(classUid) ?? []));
    this.parts.push({ classUid, className: OCSF_CLASSES[classUid]?.name ?? `class_${classUid}`, part, events: lines.length, key, idsKey, newestTimeMs: this.newest.get(classUid) });
    this.partNo.set(classUid, part + 1);
    this.newest.delete(classUid);
    this.lines.set(classUid, []);
    this.ids.set(classUid, []);
  }

  async flushAll(): Promise<void> {
    for (const classUid of [...this.lines.keys()].sort((a, b) => a - b)) await this.flush(classUid);
  }
}

/**
 * Reads a pass's pages, keeps each record once — only records whose time falls in [windowStart, windowEnd), whose id
 * is usable, and that the feed's record index does not show as delivered or claimed by another window — maps them
 * to OCSF (validating when configured) and writes the events as part files with their ids and buckets.
 * Records that cannot be mapped or fail validation become dead letters with the reason; nothing is dropped silently.
 */
export function mapActivities(feeds: FeedRegistry, store: BlobStore, validator: EventValidator | undefined, metrics: IngestMetrics) {
  const deadLetters = new DeadLetterWriter(store);
  return {
    async mapWindow(w: WindowPass & { pages: number }): Promise<MapResult> {
      const feed = feeds.get(w.feed);
      if (!feed) throw unknownFeed(w.feed, feeds.ids());
      const ctx = Context.current();
      const pages = w.pages;
      const index = new RecordIndex(store, w.feed, w.source);
      const claimant = claimantOf(w);
      // Delivered (or being delivered) by anyone, any window: read once per bucket this pass touches.
      const unavailable = new Map<string, Set<string>>();
      // A window open across the upgrade to the record index: what it delivered before is in its old manifest.
      const legacy = await legacyDeliveredIds(store, { feed: w.feed, source: w.source, windowStart: w.windowStart, windowEnd: w.windowEnd });
      const unavailableIn = async (bucket: string): Promise<Set<string>> => {
        let ids = unavailable.get(bucket);
        // With leases on, records of a window gone for longer than the lease are available: delivery takes them over.
        if (!ids) unavailable.set(bucket, (ids = await index.unavailable(bucket, claimant, feeds.loaded.config.claimLease === undefined ? undefined : Date.now())));
        return ids;
      };
      const startMs = Date.parse(w.windowStart);
      const endMs = Date.parse(w.windowEnd);
      const timed = isLogSource(w.source);
      const seen = new Set<string>();
      const letters: DeadLetter[] = [];
      const out = new PartWriter(store, w);
      await store.deletePrefix(eventsPrefix(w));
      let duplicatesSkipped = 0;
      let outsideWindow = 0;
      const ctxBase = { feed: w.feed, source: w.source, windowStart: w.windowStart };
      for (let p = 0; p < pages; p++) {
        const records = JSON.parse((await store.get(pageKey(w, p))).toString('utf8')) as unknown[];
        for (let i = 0; i < records.length; i++) {
          const record = records[i];
          const unstorable = unstorableReason(record);
          if (unstorable !== undefined) {
            letters.push({ ...ctxBase, reason: unstorable, recordId: recordId(w.source, record), index: i, payload: record });
            continue;
          }
          const id = recordId(w.source, record);
          if (id === undefined) {
            letters.push({ ...ctxBase, reason: 'record has no usable id', index: i, payload: record });
            continue;
          }
          const idProblem = recordIdProblem(id);
          if (idProblem !== undefined) {
            letters.push({ ...ctxBase, reason: `record id cannot be used: ${idProblem}`, index: i, payload: record });
            continue;
          }
          let bucket = roundBucket(w.windowStart);
          if (timed) {
            const t = recordTime(w.source, record);
            if (t === undefined) {
              if (!seen.has(id)) letters.push({ ...ctxBase, reason: 'record has no usable time', recordId: id, payload: record });
              seen.add(id);
              continue;
            }
            if (t < startMs || t >= endMs) {
              outsideWindow++;
              continue;
            }
            bucket = hourBucket(t);
          }
          if (seen.has(id) || legacy.has(id) || (await unavailableIn(bucket)).has(id)) {
            duplicatesSkipped++;
            continue;
          }
          seen.add(id);
          let event;
          try {
            // Inventories carry no time of their own: the round's start makes the event, and a retry's bytes, deterministic.
            event = mapRecord(w.source, record, { tenantId: feed.config.tenantId, observedTime: startMs });
          } catch (err) {
            letters.push({ ...ctxBase, reason: `cannot map: ${(err as Error).message}`, recordId: id, payload: record });
            continue;
          }
          if (validator) {
            const v = validator.validate(event);
            if (!v.valid) {
              letters.push({ ...ctxBase, reason: `invalid OCSF event: ${v.errors.join('; ')}`, recordId: id, payload: event });
              continue;
            }
          }
          let line: string;
          try {
            line = serializeEvent(event);
          } catch (err) {
            letters.push({ ...ctxBase, reason: `cannot serialise the OCSF event: ${(err as Error).message}`, recordId: id, payload: record });
            continue;
          }
          await out.add(event.class_uid, line, event.time, id, bucket);
        }
        ctx.heartbeat({ page: p });
      }
      await out.flushAll();
      // One letter per record and cause: a record met again (a sweep, another window) finds its letter. One blob each:
      // thousands take a while, so keep heartbeating.
      const newLetters = letters.length ? (await withHeartbeat(() => deadLetters.write(letters))).written : 0;
      const mapped: EventsIndex = { mapping: crypto.randomUUID(), parts: out.parts };
      await store.put(eventsIndexKey(w), JSON.stringify(mapped));
      metrics.duplicates.inc({ feed: w.feed, source: w.source }, duplicatesSkipped);
      metrics.deadLetters.inc({ feed: w.feed, source: w.source }, newLetters);
      const classes = new Map<number, MappedClass>();
      for (const part of out.parts) {
        const c = classes.get(part.classUid) ?? { classUid: part.classUid, className: part.className, events: 0, parts: 0 };
        c.events += part.events;
        c.parts += 1;
        classes.set(part.classUid, c);
      }
      const newRecords = out.parts.reduce((n, p) => n + p.events, 0);
      return { newRecords, duplicatesSkipped, outsideWindow, deadLetters: letters.length, classes: [...classes.values()] };
    },
  };
}
