/**
 * A lazily generated stream of timestamped events. Time is cut into fixed buckets; how many events fall in a
 * bucket, when each happens and when it becomes visible are pure functions of (salt, bucket, index), so any time
 * range can be enumerated without storing anything, and every query sees the same records.
 */
import { hashInts, mix32, poisson, Rng } from './prng';
import { TICKS_PER_MS } from './time';

export const BUCKET_TICKS = 10_000 * TICKS_PER_MS; // 10 s

export interface LatencyModel {
  p50Seconds: number;
  maxSeconds: number;
  tailShare: number;
}

export const DEFAULT_LATENCY: LatencyModel = { p50Seconds: 40, maxSeconds: 1800, tailShare: 0.03 };

export interface StreamEvent {
  bucket: number;
  /** Position in the bucket in time order: (bucket, index) orders the whole stream. */
  index: number;
  ticks: number;
  visibleTicks: number;
  /** Per-event hash from which record content is drawn. */
  hash: number;
}

/**
 * 32 bits drawn from an event's place in the stream, apart from its content hash. Record ids mix them in: two events
 * of a stream can share a 32-bit content hash (it happens within a busy day), and Graph's record ids are unique.
 */
export function positionBits(e: Pick<StreamEvent, 'bucket' | 'index'>): number {
  return mix32(hashInts(e.bucket, 0x1d5eed) + Math.imul(e.index + 1, 0x9e3779b1));
}

export type Order = 'asc' | 'desc';

export interface StreamPosition {
  bucket: number;
  index: number;
}

const CACHE_LIMIT = 8192;
const NO_EVENTS: StreamEvent[] = [];
const BODY_LIMIT_SECONDS = 120;

export class EventStream {
  private readonly cache = new Map<number, StreamEvent[]>();
  /** Mean number of events per bucket. */
  private readonly lambda: number;

  constructor(
    private readonly salt: number,
    readonly ratePerSecond: number,
    private readonly latency: LatencyModel,
    /** Nothing exists before this instant (start of the simulated history). */
    readonly firstTicks: number,
  ) {
    this.lambda = (ratePerSecond * BUCKET_TICKS) / (1000 * TICKS_PER_MS);
  }

  /** Every event of a bucket (also those after "now": callers decide what has happened yet). */
  eventsInBucket(bucket: number): StreamEvent[] {
    const cached = this.cache.get(bucket);
    if (cached) return cached;
    const rng = new Rng(hashInts(this.salt, bucket));
    const count = poisson(this.lambda, rng);
    if (count === 0) return NO_EVENTS; // most buckets at low rates: skip the cache churn
    const start = bucket * BUCKET_TICKS;
    const events: StreamEvent[] = [];
    for (let i = 0; i < count; i++) {
      const hash = hashInts(this.salt, bucket, i);
      const r = new Rng(hash);
      const ticks = start + Math.floor(r.float() * BUCKET_TICKS);
      if (ticks < this.firstTicks) continue;
      events.push({ bucket, index: 0, ticks, visibleTicks: ticks + this.delayTicks(r), hash });
    }
    events.sort((a, b) => a.ticks - b.ticks || a.hash - b.hash);
    events.forEach((e, i) => (e.index = i));
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as number);
    this.cache.set(bucket, events);
    return events;
  }

  /** Events with from <= ticks <= to, in order, optionally resuming strictly after a position. */
  *scan(fromTicks: number, toTicks: number, order: Order, after?: StreamPosition): Generator<StreamEvent> {
    const from = Math.max(fromTicks, this.firstTicks);
    if (toTicks < from || this.ratePerSecond <= 0) return;
    const firstBucket = Math.floor(from / BUCKET_TICKS);
    const lastBucket = Math.floor(toTicks / BUCKET_TICKS);
    if (order === 'asc') {
      for (let b = after ? Math.max(after.bucket, firstBucket) : firstBucket; b <= lastBucket; b++) {
        for (const e of this.eventsInBucket(b)) {
          if (after && (b < after.bucket || (b === after.bucket && e.index <= after.index))) continue;
          if (e.ticks >= from && e.ticks <= toTicks) yield e;
        }
      }
    } else {
      for (let b = after ? Math.min(after.bucket, lastBucket) : lastBucket; b >= firstBucket; b--) {
        const events = this.eventsInBucket(b);
        for (let i = events.length - 1; i >= 0; i--) {
          const e = events[i];
          if (after && (b > after.bucket || (b === after.bucket && e.index >= after.index))) continue;
          if (e.ticks >= from && e.ticks <= toTicks) yield e;
        }
      }
    }
  }

  /** Visibility delay: a log-normal body mostly under two minutes and a uniform tail up to the maximum. */
  private delayTicks(r: Rng): number {
    const { p50Seconds, maxSeconds, tailShare } = this.latency;
    let seconds: number;
    if (r.float() < tailShare && maxSeconds > BODY_LIMIT_SECONDS) {
      seconds = BODY_LIMIT_SECONDS + r.float() * (maxSeconds - BODY_LIMIT_SECONDS);
    } else {
      const u1 = Math.max(r.float(), 1e-9);
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * r.float());
      seconds = Math.min(p50Seconds * Math.exp(0.6 * z), Math.min(BODY_LIMIT_SECONDS, maxSeconds));
    }
    return Math.round(seconds * 1000 * TICKS_PER_MS);
  }
}
