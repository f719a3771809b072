import { sleep } from './backoff';

export interface RateLimit {
  requests: number;
  perMs: number;
}

/**
 * A token bucket: at most `requests` per `perMs`, refilled continuously. Graph's audit-log limits are per app per
 * tenant, so buckets are shared per (tenant, client) across every client in the process.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly limit: RateLimit, private readonly now: () => number = Date.now) {
    if (!(limit.requests >= 1) || !(limit.perMs > 0)) throw new RangeError(`rate limit must be >= 1 request per > 0 ms, got ${limit.requests} per ${limit.perMs} ms`);
    this.tokens = limit.requests;
    this.last = now();
  }

  /** Resolves when a request may be sent; callers are served in order. Returns how long it waited. */
  take(signal?: AbortSignal): Promise<number> {
    const start = this.now();
    const turn = this.queue.then(async () => {
      for (;;) {
        this.refill();
        if (this.tokens >= 1) {
          this.tokens -= 1;
          return;
        }
        await sleep(Math.ceil(((1 - this.tokens) * this.limit.perMs) / this.limit.requests), signal);
      }
    });
    // A cancelled waiter must not block the ones behind it.
    this.queue = turn.catch(() => undefined);
    return turn.then(() => this.now() - start);
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.limit.requests, this.tokens + ((t - this.last) * this.limit.requests) / this.limit.perMs);
    this.last = t;
  }
}

const buckets = new Map<string, TokenBucket>();

export function sharedBucket(tenantId: string, clientId: string, limit: RateLimit): TokenBucket {
  const key = `${tenantId.toLowerCase()}|${clientId.toLowerCase()}|${limit.requests}/${limit.perMs}`;
  let bucket = buckets.get(key);
  if (!bucket) {
    bucket = new TokenBucket(limit);
    buckets.set(key, bucket);
  }
  return bucket;
}
