import { sleep } from './backoff';

export interface RateLimit {
  requests: number;
  perMs: number;
}

/**
 * At most `requests` per `perMs`, counted over a sliding window the way Graph counts its audit-log limits (5 requests
 * per 10 s per app per tenant): a request goes when fewer than `requests` went in the last `perMs`. (A refilling token
 * bucket lets a request through 2 s after a burst of 5, which Graph's sliding window answers with a 429 and an
 * 8-second Retry-After, so the pipeline ran well below the limit.) A small margin absorbs the difference between
 * when we send and when Graph counts. Shared per (tenant, client) across every client in the process.
 */
export class TokenBucket {
  /** Send times within the last `perMs`, oldest first. */
  private readonly sent: number[] = [];
  private readonly marginMs: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly limit: RateLimit, private readonly now: () => number = Date.now) {
    if (!(limit.requests >= 1) || !(limit.perMs > 0)) throw new RangeError(`rate limit must be >= 1 request per > 0 ms, got ${limit.requests} per ${limit.perMs} ms`);
    this.marginMs = Math.min(100, Math.ceil(limit.perMs / 100));
  }

  /** Resolves when a request may be sent; callers are served in order. Returns how long it waited. */
  take(signal?: AbortSignal): Promise<number> {
    const start = this.now();
    const turn = this.queue.then(async () => {
      for (;;) {
        const t = this.now();
        const windowMs = this.limit.perMs + this.marginMs;
        while (this.sent.length > 0 && this.sent[0]! <= t - windowMs) this.sent.shift();
        if (this.sent.length < this.limit.requests) {
          this.sent.push(t);
          return;
        }
        await sleep(this.sent[0]! + windowMs - t + 1, signal);
      }
    });
    // A cancelled waiter must not block the ones behind it.
    this.queue = turn.catch(() => undefined);
    return turn.then(() => this.now() - start);
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
