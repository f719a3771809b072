import { expiredClaimants, readJsonBlob, type BlobStore, type Lease, type RecordIndex } from '@entra-ingest/store';
import type { EventBatch } from '@entra-ingest/sinks';
import { releasePlan } from './delivery-plan';
import { claimantAcceptedPrefix, claimantPendingKey } from './window-layout';

export interface SinkProgress {
  sinkId: string;
  accepted: Set<string>;
  /** Ids of the batch the claimant was sending (sent again verbatim if it comes back). */
  pending: string[];
}

/** What a sink accepted (checkpoints) and may have received (its pending batch) from one claimant. */
export async function sinkProgressOf(store: BlobStore, claimant: string, sinkId: string): Promise<SinkProgress> {
  const accepted = new Set<string>();
  for (const key of await store.list(claimantAcceptedPrefix(claimant, sinkId))) {
    for (const id of (await readJsonBlob<string[]>(store, key)) ?? []) accepted.add(id);
  }
  const pending = (await readJsonBlob<EventBatch | null>(store, claimantPendingKey(claimant, sinkId)))?.recordIds ?? [];
  return { sinkId, accepted, pending };
}

/**
 * Before claiming in a bucket: every other claimant whose lease ran out is presumed gone (a terminated window). What
 * it holds is decided on its behalf from its own checkpoints, as its cancellation would have: settled where every
 * sink has it, released (with the sinks that have it) where not, kept where a batch was in flight. Returns how many
 * claimants were taken over.
 */
export async function takeOverExpiredClaims(store: BlobStore, index: RecordIndex, bucket: string, claimant: string, sinkIds: string[], lease: Lease): Promise<number> {
  const current = await index.read(bucket);
  let taken = 0;
  for (const from of expiredClaimants(current, lease.nowMs)) {
    if (from === claimant) continue; // our own lapsed lease: our claim renews it
    const progress = await Promise.all(sinkIds.map((sinkId) => sinkProgressOf(store, from, sinkId)));
    if (await index.takeOver(bucket, from, releasePlan(current.claims[from] ?? [], progress), lease.nowMs)) taken++;
  }
  return taken;
}
