import crypto from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { BlobStore } from '@entra-ingest/store';
import { DeadLetterWriter } from '@entra-ingest/sinks';
import { OCSF_CLASSES, type EventValidator } from '@entra-ingest/ocsf';
import type { MapResult, MappedClass, WindowPass } from '@entra-ingest/workflows';
import type { FeedRegistry } from '../feeds';
import { unknownFeed } from '../failures';
import type { IngestMetrics } from '../metrics';
import { withHeartbeat } from '../heartbeat';
import { RecordMapper, mapPagesIntoParts, type PendingPart } from '../record-mapper';
import { type EventPart, type EventsIndex, claimantOf, eventPartIdsKey, eventPartKey, eventsIndexKey, eventsPrefix } from '../window-layout';

/**
 * Reads a pass's pages, keeps each record once (see RecordMapper), and writes the events as part files with their
 * ids and buckets for deliverWindow. Used by windows and users rounds started before map and deliver became one
 * activity (see mapAndDeliverWindow).
 */
export function mapActivities(feeds: FeedRegistry, store: BlobStore, validator: EventValidator | undefined, metrics: IngestMetrics) {
  const deadLetters = new DeadLetterWriter(store);
  return {
    async mapWindow(w: WindowPass & { pages: number }): Promise<MapResult> {
      const feed = feeds.get(w.feed);
      if (!feed) throw unknownFeed(w.feed, feeds.ids());
      const ctx = Context.current();
      const mapper = await RecordMapper.create(store, w, claimantOf(w), feed.config.tenantId, validator, feeds.loaded.config.claimLease !== undefined);
      const parts: EventPart[] = [];
      const write = async (p: PendingPart): Promise<void> => {
        const key = eventPartKey(w, p.classUid, p.part);
        const idsKey = eventPartIdsKey(w, p.classUid, p.part);
        await store.put(key, p.lines.join('\n'));
        await store.put(idsKey, JSON.stringify(p.ids));
        parts.push({ classUid: p.classUid, className: OCSF_CLASSES[p.classUid]?.name ?? `class_${p.classUid}`, part: p.part, events: p.lines.length, key, idsKey, newestTimeMs: p.newestTimeMs });
      };
      await store.deletePrefix(eventsPrefix(w));
      await mapPagesIntoParts(store, w, mapper, write, (page) => ctx.heartbeat({ page }));
      const { letters, duplicatesSkipped, outsideWindow } = mapper.counts;
      // One letter per record and cause: a record met again (a sweep, another window) finds its letter. One blob each:
      // thousands take a while, so keep heartbeating.
      const newLetters = letters.length ? (await withHeartbeat(() => deadLetters.write(letters))).written : 0;
      const mapped: EventsIndex = { mapping: crypto.randomUUID(), parts };
      await store.put(eventsIndexKey(w), JSON.stringify(mapped));
      metrics.duplicates.inc({ feed: w.feed, source: w.source }, duplicatesSkipped);
      metrics.deadLetters.inc({ feed: w.feed, source: w.source }, newLetters);
      const classes = new Map<number, MappedClass>();
      for (const part of parts) {
        const c = classes.get(part.classUid) ?? { classUid: part.classUid, className: part.className, events: 0, parts: 0 };
        c.events += part.events;
        c.parts += 1;
        classes.set(part.classUid, c);
      }
      const newRecords = parts.reduce((n, p) => n + p.events, 0);
      return { newRecords, duplicatesSkipped, outsideWindow, deadLetters: letters.length, classes: [...classes.values()] };
    },
  };
}
