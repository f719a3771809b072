import type { BlobStore } from './blob-store';
import { compactTime, keySegment } from './keys';

/**
 * Who delivered which record, per feed and source, whatever window read it. Records are grouped by the hour of their
 * activity time (a "bucket"): any window, pass, window size, backfill or schedule that reads a record finds the same
 * bucket, so ownership is a property of the record, not of the window that happened to read it.
 *
 * One bucket is one blob `records/<feed>/<source>/<bucket>.json`:
 *   { "delivered": [ids], "claims": { "<claimant>": [ids] }, "partial": { "<id>": [sinks that have it] } }
 * Delivery is claim → send → settle. A claim is taken by compare-and-swap before anything is sent, so two windows
 * (in any processes, on any hosts) can never both own a record; the claimant sends, and settles (moves its ids to
 * `delivered`) after every sink accepted them. A claim outlives a crash: the same claimant (the same window pass,
 * restarted or retried) finds its claim and finishes the job, and everyone else keeps skipping those records.
 * A claim has a lease (`leases[claimant]`, an expiry in ms, renewed at every claim): once it has run out the claimant
 * is presumed gone (a terminated window) and another claimant may take its records over (see `takeOver`). A claim
 * written before leases existed has none and never runs out.
 */
export interface BucketIndex {
  delivered: string[];
  claims: Record<string, string[]>;
  /**
   * Records a cancelled claimant released after some sinks (listed) had accepted them: whoever claims them next
   * sends them only to the other sinks.
   */
  partial?: Record<string, string[]>;
  /** Claimant → when its claim runs out (ms since the epoch). */
  leases?: Record<string, number>;
}

/** A lease to take or renew with a claim: it runs until `nowMs + leaseMs`, renewed once less than half is left. */
export interface Lease {
  nowMs: number;
  leaseMs: number;
}

export const MAX_RECORD_ID_LENGTH = 512;

/** Why an id cannot be used as a record id (undefined: it can): non-empty, printable, bounded. */
export function recordIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string') return `record id is ${id === null ? 'null' : typeof id}, not a string`;
  if (id.length === 0) return 'record id is empty';
  if (id.length > MAX_RECORD_ID_LENGTH) return `record id is ${id.length} characters long (at most ${MAX_RECORD_ID_LENGTH})`;
  // Control characters (C0, DEL, C1), line/paragraph separators and lone surrogates are not printable ids.
  const bad = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(id);
  if (bad) return `record id has a non-printable character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at ${bad.index}`;
  return undefined;
}

const HOUR_MS = 3_600_000;
// The last hour asked for: a page's records nearly all fall in one or two hours, and this runs once per record.
let lastHour = Number.NaN;
let lastBucket = '';

/** The bucket of a record: the UTC hour of its activity time, e.g. 20261101T12Z. */
export function hourBucket(timeMs: number): string {
  if (!Number.isFinite(timeMs)) throw new RangeError(`not a time: ${timeMs}`);
  const hour = Math.floor(timeMs / HOUR_MS);
  if (hour !== lastHour) {
    lastBucket = `${compactTime(new Date(hour * HOUR_MS).toISOString()).slice(0, 11)}Z`;
    lastHour = hour;
  }
  return lastBucket;
}

/** The buckets of every hour that [fromMs, toMs) touches, in order. */
export function hourBucketsBetween(fromMs: number, toMs: number): string[] {
  const out: string[] = [];
  for (let t = Math.floor(fromMs / HOUR_MS) * HOUR_MS; t < toMs; t += HOUR_MS) out.push(hourBucket(t));
  return out;
}

/** Records without a time of their own (a users round) are owned per round: the bucket is the round's start. */
export function roundBucket(roundStart: string): string {
  return `round-${compactTime(roundStart)}`;
}

export function bucketKey(feed: string, source: string, bucket: string): string {
  return `records/${keySegment(feed)}/${keySegment(source)}/${keySegment(bucket)}.json`;
}

export const emptyBucket = (): BucketIndex => ({ delivered: [], claims: {} });

export function parseBucket(text: string, where: string): BucketIndex {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`record index ${where} is not JSON: ${(err as Error).message}`);
  }
  const v = value as Partial<BucketIndex> | null;
  const isIds = (x: unknown): x is string[] => Array.isArray(x) && x.every((id) => typeof id === 'string');
  const isIdMap = (x: unknown): x is Record<string, string[]> => !!x && typeof x === 'object' && !Array.isArray(x) && Object.values(x).every(isIds);
  const isTimes = (x: unknown): x is Record<string, number> => !!x && typeof x === 'object' && !Array.isArray(x) && Object.values(x).every((t) => Number.isFinite(t));
  if (!v || typeof v !== 'object' || !isIds(v.delivered) || !isIdMap(v.claims) || (v.partial !== undefined && !isIdMap(v.partial)) || (v.leases !== undefined && !isTimes(v.leases))) {
    throw new Error(`record index ${where} does not have the shape {delivered: string[], claims: {claimant: string[]}, partial?: {id: string[]}, leases?: {claimant: number}}`);
  }
  return { delivered: v.delivered, claims: v.claims, ...(v.partial ? { partial: v.partial } : {}), ...(v.leases ? { leases: v.leases } : {}) };
}

/**
 * What a claim gave the claimant: `mine` it must deliver, `taken` someone else delivered or is delivering, and for
 * ids of `mine` released after some sinks accepted them, `alreadyAt` those sinks (send to the others only).
 */
export interface ClaimOutcome {
  next: BucketIndex;
  mine: string[];
  taken: string[];
  alreadyAt?: Record<string, string[]>;
}

/** Claimants holding records whose lease ran out before `nowMs` (claims without a lease never run out). */
export function expiredClaimants(index: BucketIndex, nowMs: number): string[] {
  return Object.keys(index.claims).filter((who) => index.claims[who]!.length > 0 && index.leases?.[who] !== undefined && index.leases[who]! <= nowMs);
}

/** The index without `claimant`'s lease when it holds nothing any more. */
function dropIdleLease(index: BucketIndex): BucketIndex {
  if (!index.leases) return index;
  const leases = Object.fromEntries(Object.entries(index.leases).filter(([who]) => index.claims[who]?.length));
  const { leases: _, ...rest } = index;
  return Object.keys(leases).length ? { ...rest, leases } : rest;
}

/**
 * Claims every id of `ids` that nobody delivered and nobody else claimed. Ids the claimant claimed before (a retry,
 * a restarted pass) stay its own. With a `lease`, the claimant's lease is taken or renewed. `changed` is false when
 * nothing needs writing.
 */
export function claim(index: BucketIndex, claimant: string, ids: Iterable<string>, lease?: Lease): ClaimOutcome & { changed: boolean } {
  const delivered = new Set(index.delivered);
  const others = new Set<string>();
  for (const [who, claimed] of Object.entries(index.claims)) if (who !== claimant) for (const id of claimed) others.add(id);
  const before = index.claims[claimant] ?? [];
  const own = new Set(before);
  const mine: string[] = [];
  const taken: string[] = [];
  for (const id of new Set(ids)) {
    if (delivered.has(id) || others.has(id)) taken.push(id);
    else {
      mine.push(id);
      own.add(id);
    }
  }
  const grows = own.size !== before.length;
  let next = grows ? { ...index, claims: { ...index.claims, [claimant]: [...own] } } : index;
  const held = index.leases?.[claimant];
  const renew = lease !== undefined && own.size > 0 && (held === undefined || held - lease.nowMs < lease.leaseMs / 2);
  if (renew) next = { ...next, leases: { ...index.leases, [claimant]: lease.nowMs + lease.leaseMs } };
  const changed = grows || renew;
  const alreadyAt: Record<string, string[]> = {};
  for (const id of mine) if (index.partial?.[id]) alreadyAt[id] = index.partial[id]!;
  return { next, mine, taken, changed, ...(Object.keys(alreadyAt).length ? { alreadyAt } : {}) };
}

/** Moves `ids` of the claimant's claim to `delivered`; the claim goes when it is empty. Idempotent. */
export function settle(index: BucketIndex, claimant: string, ids: Iterable<string>): { next: BucketIndex; changed: boolean } {
  const own = index.claims[claimant];
  if (!own) return { next: index, changed: false };
  const done = new Set(ids);
  const delivered = new Set(index.delivered);
  const rest: string[] = [];
  for (const id of own) {
    if (done.has(id)) delivered.add(id);
    else rest.push(id);
  }
  if (rest.length === own.length) return { next: index, changed: false };
  const claims = { ...index.claims };
  if (rest.length) claims[claimant] = rest;
  else delete claims[claimant];
  const next: BucketIndex = { delivered: [...delivered], claims, ...(index.leases ? { leases: index.leases } : {}) };
  if (index.partial) {
    const partial = Object.fromEntries(Object.entries(index.partial).filter(([id]) => !done.has(id)));
    if (Object.keys(partial).length) next.partial = partial;
  }
  return { next: dropIdleLease(next), changed: true };
}

/**
 * Drops `ids` from the claimant's claim without delivering them (a cancelled window): others may claim them now.
 * `acceptedBy` lists, for ids some sinks had accepted, those sinks: the next claimant skips them.
 */
export function release(index: BucketIndex, claimant: string, ids: Iterable<string>, acceptedBy: Record<string, string[]> = {}): { next: BucketIndex; changed: boolean } {
  const own = index.claims[claimant];
  if (!own) return { next: index, changed: false };
  const drop = new Set(ids);
  const rest = own.filter((id) => !drop.has(id));
  if (rest.length === own.length) return { next: index, changed: false };
  const claims = { ...index.claims };
  if (rest.length) claims[claimant] = rest;
  else delete claims[claimant];
  const partial = { ...index.partial };
  for (const id of own) if (drop.has(id) && acceptedBy[id]?.length) partial[id] = [...new Set([...(partial[id] ?? []), ...acceptedBy[id]!])];
  const next = { delivered: index.delivered, claims, ...(Object.keys(partial).length ? { partial } : {}), ...(index.leases ? { leases: index.leases } : {}) };
  return { next: dropIdleLease(next), changed: true };
}

/**
 * What a claimant whose lease ran out still holds, decided on its behalf by another: `settle` every sink accepted,
 * `release` the rest (with the sinks that have them, `acceptedBy`), except `keep` (a batch in flight when it stopped:
 * it stays claimed). Applied only if the lease is still out at `nowMs` (the claimant did not renew meanwhile).
 */
export function takeOver(
  index: BucketIndex, from: string, plan: { settle: string[]; release: string[]; acceptedBy: Record<string, string[]> }, nowMs: number,
): { next: BucketIndex; changed: boolean } {
  if (!expiredClaimants(index, nowMs).includes(from)) return { next: index, changed: false };
  const settled = settle(index, from, plan.settle);
  const released = release(settled.next, from, plan.release, plan.acceptedBy);
  return { next: released.next, changed: settled.changed || released.changed };
}

/** Compare-and-swap attempts before giving up (each loss means another writer made progress). */
const MAX_CAS_ATTEMPTS = 200;

/** The record index of one feed and source in a blob store; every change is a compare-and-swap of one bucket. */
export class RecordIndex {
  constructor(private readonly store: BlobStore, readonly feed: string, readonly source: string) {}

  key(bucket: string): string {
    return bucketKey(this.feed, this.source, bucket);
  }

  async read(bucket: string): Promise<BucketIndex> {
    const blob = await this.store.getVersioned(this.key(bucket));
    return blob ? parseBucket(blob.data.toString('utf8'), this.key(bucket)) : emptyBucket();
  }

  /**
   * Ids of the bucket that are delivered or claimed by anyone but `claimant` (a read, no write). With `nowMs`, the
   * records of a claimant whose lease ran out count as available (the deliverer takes them over).
   */
  async unavailable(bucket: string, claimant: string, nowMs?: number): Promise<Set<string>> {
    const index = await this.read(bucket);
    const out = new Set(index.delivered);
    const expired = new Set(nowMs === undefined ? [] : expiredClaimants(index, nowMs));
    for (const [who, ids] of Object.entries(index.claims)) if (who !== claimant && !expired.has(who)) for (const id of ids) out.add(id);
    return out;
  }

  async claim(bucket: string, claimant: string, ids: string[], lease?: Lease): Promise<ClaimOutcome> {
    return this.update(bucket, (index) => claim(index, claimant, ids, lease));
  }

  /** See `takeOver`; returns whether anything changed. */
  async takeOver(bucket: string, from: string, plan: { settle: string[]; release: string[]; acceptedBy: Record<string, string[]> }, nowMs: number): Promise<boolean> {
    return (await this.update(bucket, (index) => ({ ...takeOver(index, from, plan, nowMs), mine: [], taken: [] }))).changed;
  }

  async settle(bucket: string, claimant: string, ids: string[]): Promise<void> {
    await this.update(bucket, (index) => ({ ...settle(index, claimant, ids), mine: [], taken: [] }));
  }

  async release(bucket: string, claimant: string, ids: string[], acceptedBy: Record<string, string[]> = {}): Promise<void> {
    await this.update(bucket, (index) => ({ ...release(index, claimant, ids, acceptedBy), mine: [], taken: [] }));
  }

  /** The ids the claimant holds in the bucket. */
  async claimedBy(bucket: string, claimant: string): Promise<string[]> {
    return (await this.read(bucket)).claims[claimant] ?? [];
  }

  private async update<T extends { next: BucketIndex; changed: boolean }>(bucket: string, change: (index: BucketIndex) => T): Promise<T> {
    const key = this.key(bucket);
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const blob = await this.store.getVersioned(key);
      const index = blob ? parseBucket(blob.data.toString('utf8'), key) : emptyBucket();
      const outcome = change(index);
      if (!outcome.changed) return outcome;
      if ((await this.store.putIfVersion(key, JSON.stringify(outcome.next), blob?.version ?? null)) !== undefined) return outcome;
    }
    throw new Error(`record index ${key}: ${MAX_CAS_ATTEMPTS} compare-and-swap attempts lost to other writers`);
  }
}
