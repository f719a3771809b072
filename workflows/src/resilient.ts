import { isCancellation, patched, sleep, upsertSearchAttributes, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import { FAILURE_TYPES } from './activity-types';
import { failureMessage, failureType } from './activity-proxies';
import { SA } from './search-attributes';

export interface RetryPacing {
  /** Wait after a configuration failure (bad or expired secret, missing permission or licence). */
  blockedRetryMs: number;
  /** Wait after an activity used up its own retries on transient failures. */
  transientRetryMs: number;
  /**
   * Failed attempts one run keeps in its history before it continues as new (a window blocked for days must not
   * grow its history without bound). Default 100: about 1,000 history events.
   */
  attemptsPerRun?: number;
  /**
   * Attempts of one delivery activity before the window starts its step again (default: the activity's retry policy,
   * 12). Tests set it low so a sink outage outlasts the activity's retries within minutes.
   */
  deliverAttempts?: number;
}

export const DEFAULT_ATTEMPTS_PER_RUN = 100;

export const DEFAULT_PACING: RetryPacing = { blockedRetryMs: 5 * 60_000, transientRetryMs: 60_000 };

export interface StepStatus {
  status: 'running' | 'blocked' | 'retrying' | 'done';
  lastError?: string;
  attempts: number;
}

/**
 * Runs `step` until it succeeds. Ingestion never gives a window up: a failure that needs a person (expired secret)
 * marks the workflow "blocked" where the Web UI and `temporal workflow list --query` show it, then tries again, so
 * the feed recovers by itself once the cause is fixed. Cancellation still ends it. After `attemptsPerRun` failures
 * in this run (or when Temporal suggests it) `restart` continues the workflow as new, so the history stays bounded.
 */
export async function untilDone<T>(step: () => Promise<T>, state: StepStatus, pacing: RetryPacing, restart?: () => Promise<never>): Promise<T> {
  let failuresThisRun = 0;
  for (;;) {
    try {
      const result = await step();
      if (state.status !== 'running') upsertSearchAttributes([{ key: SA.status, value: 'ok' }]);
      state.status = 'running';
      state.lastError = undefined;
      return result;
    } catch (err) {
      if (isCancellation(err)) throw err;
      state.attempts++;
      const blocked = failureType(err) === FAILURE_TYPES.configuration;
      state.status = blocked ? 'blocked' : 'retrying';
      state.lastError = failureMessage(err);
      upsertSearchAttributes([{ key: SA.status, value: state.status }]);
      setCurrentDetails(`**${state.status}** (attempt ${state.attempts}): ${state.lastError}`);
      failuresThisRun++;
      const historyFull = failuresThisRun >= (pacing.attemptsPerRun ?? DEFAULT_ATTEMPTS_PER_RUN) || workflowInfo().continueAsNewSuggested;
      if (restart && historyFull && patched('continue-as-new-while-retrying')) {
        // Sleep first, so a run that restarts does not retry at once; the new run starts with the next attempt.
        await sleep(blocked ? pacing.blockedRetryMs : pacing.transientRetryMs);
        await restart();
      }
      await sleep(blocked ? pacing.blockedRetryMs : pacing.transientRetryMs);
    }
  }
}
