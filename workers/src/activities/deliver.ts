import crypto from 'node:crypto';
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { isLogSource } from '@entra-ingest/sources';
import { RecordIndex, readJsonBlob, type BlobStore } from '@entra-ingest/store';
import {
  DeadLetterWriter, SinkError, batchContentKey, deliverIsolatingRejects, sinkRefusalCause, type DeadLetter, type EventBatch, type Sink,
} from '@entra-ingest/sinks';
import { OCSF_CLASSES, type EventValidator } from '@entra-ingest/ocsf';
import type { DeliverResult, MapDeliverResult, ReleaseResult, WindowPass } from '@entra-ingest/workflows';
import { InFlightAssembly, batchesToSend, idsByBucket, inFlightRecord, passBuckets, releasePlan, strayClaimsPlan, zipPart, type InFlightBatch, type OwnedEvent } from '../delivery-plan';
import { sinkProgressOf, takeOverExpiredClaims } from '../claim-takeover';
import type { FeedRegistry } from '../feeds';
import { sinkRetryFailure, unknownFeed } from '../failures';
import { withHeartbeat } from '../heartbeat';
import type { IngestMetrics } from '../metrics';
import {
  type EventPart, type EventsIndex, claimantOf, claimedBucketsKey, claimsPrefix, deliveredKey, eventsIndexKey, eventsPrefix, pagesPrefix, sinkAcceptedKey,
  sinkAcceptedPrefix, sinkPendingKey, sinksPrefix,
} from '../window-layout';
import { eachLimited } from '../each-limited';
import { RecordMapper, mapPagesIntoParts, type PendingPart } from '../record-mapper';

/** Hour buckets of the record index written at once (independent blobs; each write waits on the disk). */
const INDEX_WRITES_AT_ONCE = 16;

/** No size limit of its own (a file sink): one part is one batch. */
const WHOLE_PART = Number.MAX_SAFE_INTEGER;

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
export function deliverActivities(feeds: FeedRegistry, store: BlobStore, metrics: IngestMetrics, validator?: EventValidator) {
  const deadLetters = new DeadLetterWriter(store);
  return {
    /**
     * Maps a pass's pages and delivers the events part by part, without writing them anywhere in between: each part
     * (10,000 events of one class at most) is claimed in the record index, sent to every sink under the pass's
     * checkpoints (see sinkSender) and let go before the next is built; the claims are settled as delivered at the
     * end. A retry maps the same pages again into the same events: what a sink accepted is skipped, the batch in
     * flight is sent again verbatim, the claims are still this pass's own.
     */
    mapAndDeliverWindow: (w: WindowPass & { pages: number }): Promise<MapDeliverResult> => withHeartbeat(async () => {
      const feed = feeds.get(w.feed);
      if (!feed) throw unknownFeed(w.feed, feeds.ids());
      const ctx = Context.current();
      // A retry of this very activity after it finished (the completion got lost) answers from the record; a later
      // read of the pass is another activity (or workflow run), whose record this is not.
      const attempt = `${ctx.info.workflowExecution?.runId ?? crypto.randomUUID()}/${ctx.info.activityId}`;
      const done = await readJsonBlob<{ mapping: string; result: MapDeliverResult }>(store, deliveredKey(w));
      if (done?.mapping === attempt) return done.result;

      const claimant = claimantOf(w);
      const index = new RecordIndex(store, w.feed, w.source);
      const leaseMs = feeds.loaded.config.claimLease;
      const mapper = await RecordMapper.create(store, w, claimant, feed.config.tenantId, validator, leaseMs !== undefined);
      const sinkIds = feed.sinks().map((s) => s.id);
      // With leases on: claims of windows gone for longer than the lease are taken over first (once a bucket), and
      // each part's claim renews ours.
      const takenOver = new Set<string>();
      const senders = await Promise.all(feed.sinks().map((sink) => sinkSender(sink, w, ctx.cancellationSignal)));
      // Buckets this pass holds claims in, recorded before claiming there: what a cancellation releases.
      const claimedBefore = await readJsonBlob<string[]>(store, claimedBucketsKey(w));
      const claimedBuckets = new Set(claimedBefore ?? []);
      const mineByBucket = new Map<string, string[]>();
      const allMine = new Set<string>();
      const rejected = new Set<string>();
      const failed = new Map<string, unknown>();
      let mapped = 0;
      let mine = 0;
      let newestTimeMs: number | undefined;

      const deliverPart = async (p: PendingPart): Promise<void> => {
        const className = OCSF_CLASSES[p.classUid]?.name ?? `class_${p.classUid}`;
        const events: OwnedEvent[] = p.lines.map((event, i) => ({ id: p.ids[i]![0], bucket: p.ids[i]![1], event }));
        const buckets = [...idsByBucket(events)];
        if (buckets.some(([b]) => !claimedBuckets.has(b))) {
          for (const [b] of buckets) claimedBuckets.add(b);
          await store.put(claimedBucketsKey(w), JSON.stringify([...claimedBuckets]));
        }
        const lease = leaseMs === undefined ? undefined : { nowMs: Date.now(), leaseMs };
        if (lease) {
          const fresh = buckets.filter(([b]) => !takenOver.has(b));
          await eachLimited(fresh, INDEX_WRITES_AT_ONCE, ([bucket]) => takeOverExpiredClaims(store, index, bucket, claimant, sinkIds, lease));
          for (const [b] of fresh) takenOver.add(b);
        }
        const claims = await eachLimited(buckets, INDEX_WRITES_AT_ONCE, ([bucket, ids]) => index.claim(bucket, claimant, ids, lease));
        const partMine = new Set<string>();
        const alreadyAt = new Map<string, Set<string>>();
        claims.forEach((claimed, i) => {
          const bucket = buckets[i]![0];
          if (!mineByBucket.has(bucket)) mineByBucket.set(bucket, []);
          for (const id of claimed.mine) {
            partMine.add(id);
            allMine.add(id);
            mineByBucket.get(bucket)!.push(id);
          }
          for (const [id, sinks] of Object.entries(claimed.alreadyAt ?? {})) {
            for (const sinkId of sinks) {
              if (!alreadyAt.has(sinkId)) alreadyAt.set(sinkId, new Set());
              alreadyAt.get(sinkId)!.add(id);
            }
          }
        });
        for (const sender of senders) {
          if (failed.has(sender.sink.id)) continue;
          try {
            await sender.resendPending(events, (id) => allMine.has(id));
            await sender.sendPart(p.classUid, className, events, partMine, alreadyAt.get(sender.sink.id));
          } catch (err) {
            if (ctx.cancellationSignal.aborted) throw err;
            // One sink down does not hold back the others: it is skipped for the rest of this attempt, which then fails.
            failed.set(sender.sink.id, err);
          }
          for (const id of sender.state.rejected) rejected.add(id);
        }
        let n = 0;
        for (const id of partMine) if (!rejected.has(id)) n++;
        metrics.delivered.inc({ feed: w.feed, source: w.source, class_name: className }, n);
        mapped += events.length;
        mine += partMine.size;
        if (p.newestTimeMs !== undefined) newestTimeMs = Math.max(newestTimeMs ?? p.newestTimeMs, p.newestTimeMs);
      };

      await mapPagesIntoParts(store, w, mapper, deliverPart, (page) => ctx.heartbeat({ page }));
      for (const sender of senders) {
        if (failed.has(sender.sink.id)) continue;
        try {
          await sender.finishPending((id) => allMine.has(id));
        } catch (err) {
          if (ctx.cancellationSignal.aborted) throw err;
          failed.set(sender.sink.id, err);
        }
      }
      // Settled only once every sink has everything: a retry sends the failed sinks what they still need.
      if (failed.size) throw failed.values().next().value;
      const { letters, duplicatesSkipped, outsideWindow } = mapper.counts;
      // One letter per record and cause: a record met again (a sweep, another window) finds its letter.
      const newLetters = letters.length ? (await deadLetters.write(letters)).written : 0;
      await eachLimited([...mineByBucket], INDEX_WRITES_AT_ONCE, ([bucket, ids]) => index.settle(bucket, claimant, ids));
      // An earlier attempt claimed: what it claimed and this one did not map must not stay claimed (strayClaimsPlan).
      const strays = claimedBefore ? await settleStrayClaims(index, claimant, claimedBuckets, allMine, senders) : { settled: 0, released: 0 };
      if (strays.settled + strays.released) log.warn('records an earlier attempt of this pass claimed were not read again', { feed: w.feed, windowStart: w.windowStart, pass: w.pass, ...strays });

      const delivered = mine - rejected.size;
      const perSink = Object.fromEntries(senders.map((s) => [s.sink.id, s.state.delivered]));
      metrics.duplicates.inc({ feed: w.feed, source: w.source }, duplicatesSkipped);
      metrics.deadLetters.inc({ feed: w.feed, source: w.source }, newLetters + rejected.size);
      if (w.pass > 0) metrics.late.inc({ feed: w.feed, source: w.source }, delivered);
      if (isLogSource(w.source)) metrics.observeDelivery(w.feed, w.source, w.windowEnd, newestTimeMs);
      const result: MapDeliverResult = {
        newRecords: mapped, duplicatesSkipped, outsideWindow, deadLetters: letters.length, delivered, perSink, alreadyOwned: mapped - mine, rejected: rejected.size,
      };
      await store.put(deliveredKey(w), JSON.stringify({ mapping: attempt, result }));
      // The claim checks and checkpoints have served their purpose; the index and the delivery record stay.
      await store.deletePrefix(pagesPrefix(w));
      await store.deletePrefix(sinksPrefix(w));
      await store.deletePrefix(claimsPrefix(w));
      return result;
    }),

    deliverWindow: (w: WindowPass): Promise<DeliverResult> => withHeartbeat(async () => {
      const feed = feeds.get(w.feed);
      if (!feed) throw unknownFeed(w.feed, feeds.ids());
      const ctx = Context.current();
      const mapped = await readJsonBlob<EventsIndex>(store, eventsIndexKey(w));
      if (!mapped) throw new Error(`nothing mapped for ${eventsIndexKey(w)}: the map step must run first`);
      // A retry after this very mapping was delivered (the completion got lost) answers from the record. A record of
      // an earlier mapping run of this pass does not answer: its parts were other events.
      const done = await readJsonBlob<{ mapping: string; result: DeliverResult }>(store, deliveredKey(w));
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
      const sinksHave: { sink: Sink; state: { accepted: ReadonlySet<string> } }[] = [];
      for (const sink of feed.sinks()) {
        const sent = await deliverToSink(sink, w, mapped, parts, mine, alreadyAt.get(sink.id) ?? new Set(), ctx.cancellationSignal);
        perSink[sink.id] = sent.delivered;
        for (const id of sent.rejected) rejected.add(id);
        sinksHave.push({ sink, state: { accepted: sent.accepted } });
      }
      await eachLimited([...buckets], INDEX_WRITES_AT_ONCE, ([bucket, ids]) => index.settle(bucket, claimant, ids.filter((id) => mine.has(id))));
      // An earlier attempt mapped and claimed other records (a split read that reached less far back the second
      // time): what this mapping does not hold must not stay claimed (strayClaimsPlan). Earlier attempts of this path
      // did not record where they claimed, so every bucket the window touches is looked at.
      const strays = await settleStrayClaims(index, claimant, passBuckets(w.windowStart, w.windowEnd, isLogSource(w.source)), new Set(parts.flat().map((e) => e.id)), sinksHave);
      if (strays.settled + strays.released) log.warn('records an earlier attempt of this pass claimed were not mapped again', { feed: w.feed, windowStart: w.windowStart, pass: w.pass, ...strays });

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
      const mapped = await readJsonBlob<EventsIndex>(store, eventsIndexKey(w));
      const out: ReleaseResult = { released: 0, settled: 0, kept: 0 };
      // Buckets claimed in: recorded by mapAndDeliverWindow, or found in the parts mapWindow wrote.
      const buckets = new Set<string>((await readJsonBlob<string[]>(store, claimedBucketsKey(w))) ?? []);
      for (const part of mapped?.parts ?? []) {
        const ids = await readJsonBlob<[string, string][]>(store, part.idsKey);
        for (const [, bucket] of ids ?? []) buckets.add(bucket);
      }
      if (!buckets.size) return out;
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

  /** Settles or releases, per strayClaimsPlan, what the claimant holds in `buckets` beyond `mapped`. */
  async function settleStrayClaims(
    index: RecordIndex, claimant: string, buckets: Iterable<string>, mapped: ReadonlySet<string>,
    senders: { sink: Sink; state: { accepted: ReadonlySet<string> } }[],
  ): Promise<{ settled: number; released: number }> {
    const sinks = senders.map((s) => ({ sinkId: s.sink.id, accepted: s.state.accepted }));
    const out = { settled: 0, released: 0 };
    await eachLimited([...buckets], INDEX_WRITES_AT_ONCE, async (bucket) => {
      const plan = strayClaimsPlan(await index.claimedBy(bucket, claimant), mapped, sinks);
      if (plan.settle.length) await index.settle(bucket, claimant, plan.settle);
      if (plan.release.length) await index.release(bucket, claimant, plan.release, plan.acceptedBy);
      out.settled += plan.settle.length;
      out.released += plan.release.length;
    });
    return out;
  }

  /** What each sink has accepted (checkpoints) and may have received (its pending batch). */
  function sinkProgress(w: WindowPass, sink: Sink): ReturnType<typeof sinkProgressOf> {
    return sinkProgressOf(store, claimantOf(w), sink.id);
  }

  /**
   * Sends batches to one sink under this pass's checkpoints: each batch is written as the sink's `pending` batch before
   * it is sent and its ids are checkpointed as accepted after, so a retry resumes after the last accepted batch and
   * re-sends only the one in flight, verbatim. A batch the receiver rejects for good is bisected: the events at fault
   * become dead letters with its answer, the rest are delivered.
   */
  async function sinkSender(sink: Sink, w: WindowPass, signal: AbortSignal) {
    const ctx = Context.current();
    const { accepted } = await sinkProgress(w, sink);
    const state = { accepted, delivered: 0, rejected: [] as string[] };
    // The batch the last attempt had in flight: undefined until read, null when there is none or it has gone.
    let inFlight: InFlightAssembly | null | undefined;
    const send = async (batch: EventBatch): Promise<void> => {
      const contentKey = batchContentKey(batch);
      await store.put(sinkPendingKey(w, sink.id), JSON.stringify(inFlightRecord(batch)));
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
          reason: `${sinkRefusalCause(sink.id)}: ${r.answer}`, payload: r.event,
        })));
        for (const r of outcome.rejected) if (r.recordId !== undefined) state.rejected.push(r.recordId);
      }
      // Accepted or rejected for good: either way this sink is done with these records.
      await store.put(sinkAcceptedKey(w, sink.id, contentKey), JSON.stringify(batch.recordIds ?? []));
      for (const id of batch.recordIds ?? []) accepted.add(id);
      state.delivered += outcome.delivered;
      ctx.heartbeat({ sink: sink.id, batch: contentKey });
    };
    /** Sends the batch in flight if any of its records is still this pass's to send; either way it has gone. */
    const sendInFlight = async (a: InFlightAssembly, isMine: (id: string) => boolean): Promise<void> => {
      inFlight = null;
      if (!a.batch.recordIds.some((id) => isMine(id) && !accepted.has(id))) return;
      const batch = a.toBatch();
      if (batch.recordIds?.length) await send(batch);
    };
    return {
      sink,
      state,
      /**
       * A batch in flight when the last attempt died goes before any of its records is sent again, exactly as it
       * was: same records, same key. Its events are taken from the parts as they are mapped again (`events`); it is
       * sent once all of them were seen. `isMine`: the records this pass owns so far.
       */
      async resendPending(events: readonly OwnedEvent[], isMine: (id: string) => boolean): Promise<void> {
        if (inFlight === undefined) {
          const batch = await readJsonBlob<InFlightBatch | null>(store, sinkPendingKey(w, sink.id));
          inFlight = batch?.recordIds?.length ? new InFlightAssembly(batch) : null;
        }
        if (!inFlight) return;
        inFlight.offer(events);
        if (inFlight.complete) await sendInFlight(inFlight, isMine);
      },
      /**
       * After the last part: a batch in flight some of whose records were not mapped again this time (their mapping
       * changed between attempts) goes with the records that were, under a new name.
       */
      async finishPending(isMine: (id: string) => boolean): Promise<void> {
        if (!inFlight) return;
        const missing = inFlight.missing().length;
        if (missing < inFlight.batch.recordIds.length) {
          log.warn('batch in flight sent again without records this attempt did not map', { sink: sink.id, feed: w.feed, windowStart: w.windowStart, missing });
        }
        await sendInFlight(inFlight, isMine);
      },
      /** Sends this sink the part's events it still needs (owned by this pass, not accepted before), in batches. */
      async sendPart(classUid: number, className: string, events: OwnedEvent[], mine: ReadonlySet<string>, hasAlready?: ReadonlySet<string>): Promise<void> {
        for (const id of hasAlready ?? []) accepted.add(id);
        // Records of the batch in flight wait for it.
        const waiting = inFlight;
        const own = waiting && events.some((e) => waiting.holds(e.id)) ? events.filter((e) => !waiting.holds(e.id)) : events;
        for (const batch of batchesToSend(own, mine, accepted, sink.maxBatchEvents ?? WHOLE_PART)) {
          await send({
            feed: w.feed, source: w.source, windowStart: w.windowStart, pass: w.pass, classUid, className,
            events: batch.map((e) => e.event), recordIds: batch.map((e) => e.id),
          });
        }
      },
    };
  }

  /** Sends one sink everything it still needs; returns how many it accepted and the ids it rejected for good. */
  async function deliverToSink(
    sink: Sink, w: WindowPass, mapped: EventsIndex, parts: OwnedEvent[][], mine: Set<string>, hasAlready: Set<string>, signal: AbortSignal,
  ): Promise<{ delivered: number; rejected: string[]; accepted: ReadonlySet<string> }> {
    const sender = await sinkSender(sink, w, signal);
    for (const id of hasAlready) sender.state.accepted.add(id);
    await sender.resendPending(parts.flat(), (id) => mine.has(id));
    for (let p = 0; p < mapped.parts.length; p++) {
      const part = mapped.parts[p]!;
      await sender.sendPart(part.classUid, part.className, parts[p]!, mine);
    }
    await sender.finishPending((id) => mine.has(id));
    return { delivered: sender.state.delivered, rejected: sender.state.rejected, accepted: sender.state.accepted };
  }
}
