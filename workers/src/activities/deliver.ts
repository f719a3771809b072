import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { isLogSource } from '@entra-ingest/sources';
import { BlobNotFoundError, RecordIndex, type BlobStore } from '@entra-ingest/store';
import { DeadLetterWriter, SinkError, batchContentKey, deliverIsolatingRejects, type DeadLetter, type EventBatch, type Sink } from '@entra-ingest/sinks';
import type { DeliverResult, ReleaseResult, WindowPass } from '@entra-ingest/workflows';
import { batchesToSend, idsByBucket, releasePlan, zipPart, type OwnedEvent } from '../delivery-plan';
import { sinkProgressOf, takeOverExpiredClaims } from '../claim-takeover';
import type { FeedRegistry } from '../feeds';
import { sinkRetryFailure, unknownFeed } from '../failures';
import { withHeartbeat } from '../heartbeat';
import type { IngestMetrics } from '../metrics';
import {
  type EventPart, type EventsIndex, claimantOf, deliveredKey, eventsIndexKey, eventsPrefix, pagesPrefix, sinkAcceptedKey, sinkAcceptedPrefix, sinkPendingKey, sinksPrefix,
} from '../window-layout';
import { eachLimited } from '../each-limited';

/** Hour buckets of the record index written at once (independent blobs; each write waits on the disk). */
const INDEX_WRITES_AT_ONCE = 16;

/** No size limit of its own (a file sink): one part is one batch. */
const WHOLE_PART = Number.MAX_SAFE_INTEGER;

async function readJson<T>(store: BlobStore, key: string): Promise<T | undefined> {
  try {
    return JSON.parse((await store.get(key)).toString('utf8')) as T;
  } catch (err) {
    if (err instanceof BlobNotFoundError) return undefined;
    throw err;
  }
}

function newestTimeOf(parts: EventPart[]): number | undefined {
  const times = parts.map((p) => p.newestTimeMs).filter((t): t is number => t !== undefined);
  return times.length ? Math.max(...times) : undefined;
}

/**
 * Delivers a pass's mapped events exactly once per record:
 * 1. claim — in the feed's record index, by compare-and-swap per hour bucket, every record nobody delivered and no
 *    other window claimed; only those are sent (a record another window owns is its job);
 * 2. send — per part and sink, in batches named by their record ids; before each send the batch is written as the
 *    sink's `pending` batch and after it the accepted ids are checkpointed, so a retry resumes after the last
 *    accepted batch and re-sends only the one in flight, verbatim (same key, same file name);
 *    a batch the receiver rejects permanently (4xx other than 408/429) is bisected: the events at fault become dead
 *    letters with the receiver's answer, the rest are delivered;
 * 3. settle — move the claimed ids to `delivered` in the index.
 */
export function deliverActivities(feeds: FeedRegistry, store: BlobStore, metrics: IngestMetrics) {
  const deadLetters = new DeadLetterWriter(store);
  return {
    deliverWindow: (w: WindowPass): Promise<DeliverResult> => withHeartbeat(async () => {
      const feed = feeds.get(w.feed);
      if (!feed) throw unknownFeed(w.feed, feeds.ids());
      const ctx = Context.current();
      const mapped = await readJson<EventsIndex>(store, eventsIndexKey(w));
      if (!mapped) throw new Error(`nothing mapped for ${eventsIndexKey(w)}: the map step must run first`);
      // A retry after this very mapping was delivered (the completion got lost) answers from the record. A record of
      // an earlier mapping run of this pass does not answer: its parts were other events.
      const done = await readJson<{ mapping: string; result: DeliverResult }>(store, deliveredKey(w));
      if (done?.mapping === mapped.mapping) return done.result;

      const claimant = claimantOf(w);
      const index = new RecordIndex(store, w.feed, w.source);
      const parts: OwnedEvent[][] = [];
      for (const part of mapped.parts) {
        parts.push(zipPart((await store.get(part.key)).toString('utf8'), (await store.get(part.idsKey)).toString('utf8'), part.key));
      }
      const mine = new Set<string>();
      // Records a cancelled window released after some sinks took them: those sinks are done with them.
      const alreadyAt = new Map<string, Set<string>>();
      const buckets = idsByBucket(parts.flat());
      // With leases on: claims of windows gone for longer than the lease are taken over first; ours is renewed.
      const leaseMs = feeds.loaded.config.claimLease;
      const lease = leaseMs === undefined ? undefined : { nowMs: Date.now(), leaseMs };
      if (lease) {
        const sinkIds = feed.sinks().map((s) => s.id);
        await eachLimited([...buckets], INDEX_WRITES_AT_ONCE, ([bucket]) => takeOverExpiredClaims(store, index, bucket, claimant, sinkIds, lease));
      }
      const claims = await eachLimited([...buckets], INDEX_WRITES_AT_ONCE, ([bucket, ids]) => index.claim(bucket, claimant, ids, lease));
      for (const claimed of claims) {
        for (const id of claimed.mine) mine.add(id);
        for (const [id, sinks] of Object.entries(claimed.alreadyAt ?? {})) {
          for (const sinkId of sinks) {
            if (!alreadyAt.has(sinkId)) alreadyAt.set(sinkId, new Set());
            alreadyAt.get(sinkId)!.add(id);
          }
        }
      }

      const perSink: Record<string, number> = {};
      const rejected = new Set<string>();
      for (const sink of feed.sinks()) {
        const sent = await deliverToSink(sink, w, mapped, parts, mine, alreadyAt.get(sink.id) ?? new Set(), ctx.cancellationSignal);
        perSink[sink.id] = sent.delivered;
        for (const id of sent.rejected) rejected.add(id);
      }
      await eachLimited([...buckets], INDEX_WRITES_AT_ONCE, ([bucket, ids]) => index.settle(bucket, claimant, ids.filter((id) => mine.has(id))));

      const delivered = [...mine].filter((id) => !rejected.has(id)).length;
      for (const part of mapped.parts) {
        const n = parts[mapped.parts.indexOf(part)]!.filter((e) => mine.has(e.id) && !rejected.has(e.id)).length;
        metrics.delivered.inc({ feed: w.feed, source: w.source, class_name: part.className }, n);
      }
      if (w.pass > 0) metrics.late.inc({ feed: w.feed, source: w.source }, delivered);
      if (isLogSource(w.source)) metrics.observeDelivery(w.feed, w.source, w.windowEnd, newestTimeOf(mapped.parts));
      metrics.deadLetters.inc({ feed: w.feed, source: w.source }, rejected.size);
      const result: DeliverResult = { delivered, perSink, alreadyOwned: parts.flat().length - mine.size, rejected: rejected.size };
      await store.put(deliveredKey(w), JSON.stringify({ mapping: mapped.mapping, result }));
      // The claim checks and checkpoints have served their purpose; the index and the delivery record stay.
      await store.deletePrefix(pagesPrefix(w));
      await store.deletePrefix(eventsPrefix(w));
      await store.deletePrefix(sinksPrefix(w));
      return result;
    }),

    /**
     * After a cancellation: records every sink accepted are settled as delivered, records no sink can have received
     * are released for other windows, records some sink may hold stay claimed (a re-run of this window sends them).
     */
    releaseWindow: async (w: WindowPass): Promise<ReleaseResult> => {
      const feed = feeds.get(w.feed);
      if (!feed) throw unknownFeed(w.feed, feeds.ids());
      const mapped = await readJson<EventsIndex>(store, eventsIndexKey(w));
      const out: ReleaseResult = { released: 0, settled: 0, kept: 0 };
      if (!mapped) return out;
      const buckets = new Set<string>();
      for (const part of mapped.parts) {
        const ids = await readJson<[string, string][]>(store, part.idsKey);
        for (const [, bucket] of ids ?? []) buckets.add(bucket);
      }
      const progress = await Promise.all(feed.sinks().map((sink) => sinkProgress(w, sink)));
      const claimant = claimantOf(w);
      const index = new RecordIndex(store, w.feed, w.source);
      for (const bucket of buckets) {
        const plan = releasePlan(await index.claimedBy(bucket, claimant), progress);
        if (plan.settle.length) await index.settle(bucket, claimant, plan.settle);
        if (plan.release.length) await index.release(bucket, claimant, plan.release, plan.acceptedBy);
        out.settled += plan.settle.length;
        out.released += plan.release.length;
        out.kept += plan.keep.length;
      }
      return out;
    },
  };

  /** What each sink has accepted (checkpoints) and may have received (its pending batch). */
  function sinkProgress(w: WindowPass, sink: Sink): ReturnType<typeof sinkProgressOf> {
    return sinkProgressOf(store, claimantOf(w), sink.id);
  }

  /** Sends one sink everything it still needs; returns how many it accepted and the ids it rejected for good. */
  async function deliverToSink(
    sink: Sink, w: WindowPass, mapped: EventsIndex, parts: OwnedEvent[][], mine: Set<string>, hasAlready: Set<string>, signal: AbortSignal,
  ): Promise<{ delivered: number; rejected: string[] }> {
    const ctx = Context.current();
    const { accepted } = await sinkProgress(w, sink);
    for (const id of hasAlready) accepted.add(id);
    let delivered = 0;
    const rejected: string[] = [];
    const send = async (batch: EventBatch): Promise<void> => {
      const contentKey = batchContentKey(batch);
      await store.put(sinkPendingKey(w, sink.id), JSON.stringify(batch));
      let outcome;
      try {
        outcome = await deliverIsolatingRejects(batch, async (b) => {
          try {
            await sink.deliver(b, signal);
          } catch (err) {
            metrics.sinkFailures.inc({ feed: w.feed, sink: sink.id, kind: err instanceof SinkError && !err.retryable ? 'rejected' : 'retryable' });
            if (err instanceof SinkError && !err.retryable && !err.rejectsEvents) {
              throw ApplicationFailure.create({ type: 'EntraSinkRejected', message: `sink ${sink.id} rejected the batch: ${err.message}` });
            }
            throw err;
          }
        });
      } catch (err) {
        // The receiver answered (503, 429…): it did not take the batch, so nothing of it is in flight any more.
        if (err instanceof SinkError && err.status !== undefined) await store.put(sinkPendingKey(w, sink.id), 'null');
        throw sinkRetryFailure(err);
      }
      if (outcome.rejected.length) {
        await deadLetters.write(outcome.rejected.map((r): DeadLetter => ({
          feed: w.feed, source: w.source, windowStart: w.windowStart, recordId: r.recordId,
          reason: `sink ${sink.id} rejected the event: ${r.answer}`, payload: r.event,
        })));
        for (const r of outcome.rejected) if (r.recordId !== undefined) rejected.push(r.recordId);
      }
      // Accepted or rejected for good: either way this sink is done with these records.
      await store.put(sinkAcceptedKey(w, sink.id, contentKey), JSON.stringify(batch.recordIds ?? []));
      for (const id of batch.recordIds ?? []) accepted.add(id);
      delivered += outcome.delivered;
      ctx.heartbeat({ sink: sink.id, batch: contentKey });
    };

    // A batch in flight when the last attempt died goes first, exactly as it was: same records, same key.
    const pending = await readJson<EventBatch | null>(store, sinkPendingKey(w, sink.id));
    if (pending?.recordIds?.some((id) => mine.has(id) && !accepted.has(id))) await send(pending);

    const max = sink.maxBatchEvents ?? WHOLE_PART;
    for (let p = 0; p < mapped.parts.length; p++) {
      const part = mapped.parts[p]!;
      for (const batch of batchesToSend(parts[p]!, mine, accepted, max)) {
        await send({
          feed: w.feed, source: w.source, windowStart: w.windowStart, pass: w.pass, classUid: part.classUid, className: part.className,
          events: batch.map((e) => e.event), recordIds: batch.map((e) => e.id),
        });
      }
    }
    return { delivered, rejected };
  }
}
