import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { DeliveryManifest, type BlobStore } from '@entra-ingest/store';
import { SinkError } from '@entra-ingest/sinks';
import type { DeliverResult, WindowPass } from '@entra-ingest/workflows';
import type { FeedRegistry } from '../feeds';
import { unknownFeed } from '../failures';
import { withHeartbeat } from '../heartbeat';
import type { IngestMetrics } from '../metrics';
import { type EventPart, deliveredKey, eventsIndexKey, eventsPrefix, idsKey, pagesPrefix, windowRef } from '../window-layout';

function newestTimeOf(parts: EventPart[]): number | undefined {
  const times = parts.map((p) => p.newestTimeMs).filter((t): t is number => t !== undefined);
  return times.length ? Math.max(...times) : undefined;
}

/**
 * Writes every part to every sink of the feed, then records the pass's ids in the window's manifest. Sinks are
 * idempotent per (window, pass, class, part): if the worker dies between a sink write and the manifest update, the
 * retry rewrites the same file / re-sends the same Idempotency-Key, so nothing arrives twice.
 */
export function deliverActivities(feeds: FeedRegistry, store: BlobStore, metrics: IngestMetrics) {
  return {
    deliverWindow: (w: WindowPass): Promise<DeliverResult> => withHeartbeat(async () => {
      const feed = feeds.get(w.feed);
      if (!feed) throw unknownFeed(w.feed, feeds.ids());
      const ctx = Context.current();
      // A retry after the pass was recorded (the completion got lost) answers from the record, sending nothing again.
      if (await store.exists(deliveredKey(w))) return JSON.parse((await store.get(deliveredKey(w))).toString('utf8')) as DeliverResult;
      const parts = JSON.parse((await store.get(eventsIndexKey(w))).toString('utf8')) as EventPart[];
      const perSink: Record<string, number> = {};
      let delivered = 0;
      for (const part of parts) {
        const events = (await store.get(part.key)).toString('utf8').split('\n');
        for (const sink of feed.sinks()) {
          try {
            const r = await sink.deliver(
              { feed: w.feed, source: w.source, windowStart: w.windowStart, pass: w.pass, classUid: part.classUid, className: part.className, part: part.part, events },
              ctx.cancellationSignal,
            );
            perSink[sink.id] = (perSink[sink.id] ?? 0) + r.delivered;
          } catch (err) {
            const rejected = err instanceof SinkError && !err.retryable;
            metrics.sinkFailures.inc({ feed: w.feed, sink: sink.id, kind: rejected ? 'rejected' : 'retryable' });
            if (err instanceof SinkError && !err.retryable) {
              throw ApplicationFailure.create({ type: 'EntraSinkRejected', message: `sink ${sink.id} rejected the batch: ${err.message}` });
            }
            throw err;
          }
          ctx.heartbeat({ part: part.key, sink: sink.id });
        }
        delivered += events.length;
        metrics.delivered.inc({ feed: w.feed, source: w.source, class_name: part.className }, events.length);
      }
      const ids = (await store.get(idsKey(w))).toString('utf8');
      await new DeliveryManifest(store, windowRef(w)).recordPass(w.pass, ids ? ids.split('\n') : []);
      if (w.pass > 0) metrics.late.inc({ feed: w.feed, source: w.source }, delivered);
      if (w.source !== 'users') metrics.observeDelivery(w.feed, w.source, w.windowEnd, newestTimeOf(parts));
      const result: DeliverResult = { delivered, perSink };
      await store.put(deliveredKey(w), JSON.stringify(result));
      // The claim checks have served their purpose; the manifest and the delivery record stay.
      await store.deletePrefix(pagesPrefix(w));
      await store.deletePrefix(eventsPrefix(w));
      return result;
    }),
  };
}
