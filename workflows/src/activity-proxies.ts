import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import { FAILURE_TYPES, type IngestActivities } from './activity-types';

// Each kind of activity has its own timeouts and bounded retries. Configuration failures (bad secret, missing
// permission or licence) are never retried by Temporal: the workflow waits and tries again so a fix is picked up.
const nonRetryableErrorTypes = [FAILURE_TYPES.configuration, FAILURE_TYPES.unknownFeed, FAILURE_TYPES.syncStateNotFound, FAILURE_TYPES.restartRead];

export const tokenActivities = proxyActivities<Pick<IngestActivities, 'refreshToken' | 'describeFeed'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 6, nonRetryableErrorTypes },
});

/** Page reads go to the tenant's task queue (set per call); a 429 comes back as nextRetryDelay = Retry-After. */
export const fetchActivities = proxyActivities<Pick<IngestActivities, 'fetchPage'>>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  scheduleToStartTimeout: '1 hour',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 12, nonRetryableErrorTypes },
});

export const mapActivities = proxyActivities<Pick<IngestActivities, 'mapWindow'>>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes },
});

export const deliverActivities = proxyActivities<Pick<IngestActivities, 'deliverWindow' | 'mapAndDeliverWindow'>>({
  startToCloseTimeout: '15 minutes',
  // A cancelled window releases its claims only after its delivery attempt has stopped sending.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 12, nonRetryableErrorTypes },
});

/** Runs while a window is being cancelled: a few quick attempts, so a cancellation never hangs on it. */
export const releaseActivities = proxyActivities<Pick<IngestActivities, 'releaseWindow'>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 5, nonRetryableErrorTypes },
});

export const adminActivities = proxyActivities<Pick<IngestActivities, 'readCredentialExpiry' | 'sendReminder' | 'checkFeed'>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 5, nonRetryableErrorTypes },
});

/** The failure type an activity raised, looking through Temporal's ActivityFailure wrapper. */
export function failureType(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const t = (e as { type?: unknown }).type;
    if (typeof t === 'string') return t;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function failureMessage(err: unknown): string {
  let e: unknown = err;
  let message = err instanceof Error ? err.message : String(err);
  for (let i = 0; i < 4 && e; i++) {
    if (e instanceof Error && e.message) message = e.message;
    e = (e as { cause?: unknown }).cause;
  }
  return message;
}
