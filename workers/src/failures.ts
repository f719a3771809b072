import { ApplicationFailure } from '@temporalio/common';
import { FAILURE_TYPES } from '@entra-ingest/workflows';

// How Graph client errors become Temporal failures. Configuration problems are non-retryable (the workflow waits and
// tries again later, visibly blocked); throttling carries Graph's Retry-After as the next retry delay.

interface GraphLikeError {
  kind?: string;
  retryable?: boolean;
  retryAfterMs?: number;
  message: string;
  requestId?: string;
}

const CONFIGURATION_KINDS = new Set([
  'auth-config', 'permission-missing', 'license-missing', 'unsupported-in-cloud', 'bad-request', 'not-found',
]);

/** The longest a Retry-After is honoured as the next retry delay of an activity. */
export const MAX_THROTTLE_DELAY_MS = 10 * 60_000;

export function toActivityFailure(err: unknown): Error {
  if (err instanceof ApplicationFailure) return err;
  const e = err as GraphLikeError;
  const kind = typeof e?.kind === 'string' ? e.kind : undefined;
  const message = err instanceof Error ? err.message : String(err);
  const details = e?.requestId ? [{ requestId: e.requestId }] : undefined;
  if (kind === 'throttled') {
    // A Retry-After of days or years (a broken proxy, a hostile answer) must not park the window for that long.
    const delay = Math.min(MAX_THROTTLE_DELAY_MS, Math.max(1000, e.retryAfterMs ?? 1000));
    return ApplicationFailure.create({ type: 'GraphThrottled', message, nextRetryDelay: delay, details });
  }
  if (kind === 'sync-state-not-found') {
    return ApplicationFailure.create({ type: FAILURE_TYPES.syncStateNotFound, message, nonRetryable: true, details });
  }
  if (kind && CONFIGURATION_KINDS.has(kind)) {
    return ApplicationFailure.create({ type: FAILURE_TYPES.configuration, message, nonRetryable: true, details });
  }
  if ((err as { name?: string })?.name === 'SecretResolutionError' || (err as { name?: string })?.name === 'ConfigError') {
    return ApplicationFailure.create({ type: FAILURE_TYPES.configuration, message, nonRetryable: true });
  }
  // A 503 with Retry-After: Graph's wait is the next retry delay, as for a 429.
  const nextRetryDelay = typeof e?.retryAfterMs === 'number' ? Math.min(MAX_THROTTLE_DELAY_MS, Math.max(1000, e.retryAfterMs)) : undefined;
  return ApplicationFailure.create({ type: kind ? `Graph:${kind}` : 'EntraTransientError', message, details, nextRetryDelay });
}

/**
 * A sink's retryable failure with the receiver's Retry-After (429/503) becomes an activity failure whose next retry
 * delay is that wait, capped like Graph's; other sink errors pass through unchanged (the retry policy's backoff).
 */
export function sinkRetryFailure(err: unknown): unknown {
  const e = err as { name?: unknown; retryable?: unknown; retryAfterMs?: unknown; status?: unknown; message?: unknown };
  if (e?.name !== 'SinkError' || e.retryable !== true || typeof e.retryAfterMs !== 'number') return err;
  const delay = Math.min(MAX_THROTTLE_DELAY_MS, Math.max(1000, e.retryAfterMs));
  return ApplicationFailure.create({ type: 'SinkError', message: String(e.message), nextRetryDelay: delay, details: [{ status: e.status }] });
}

export function unknownFeed(feed: string, known: string[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: FAILURE_TYPES.unknownFeed,
    nonRetryable: true,
    message: `feed "${feed}" is not in this worker's config (configured: ${known.join(', ') || 'none'})`,
  });
}
