import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type WorkflowHandle } from '@temporalio/client';
import {
  type BackfillInput, type BackfillProgress, type RetryPacing, SA, backfill, backfillProgressQuery, backfillWorkflowId,
} from '@entra-ingest/workflows';
import type { WindowedSource } from '@entra-ingest/config';
import type { SideCalls } from './side-calls';

// Starting, finding and following a backfill workflow; shared by the CLI and the integration tests.

export interface BackfillTarget {
  feed: string;
  source: WindowedSource;
  from: string;
  to: string;
}

export interface StartBackfillOptions extends BackfillTarget {
  taskQueue: string;
  concurrency: number;
  windowMs?: number;
  splitPolicy?: BackfillInput['splitPolicy'];
  pacing?: RetryPacing;
}

export type BackfillHandle = WorkflowHandle<typeof backfill>;

export interface StartedBackfill {
  /**
   * started: a new run; attached: the same backfill was already running; finished: it had completed before, with
   * every window read (not run again); retrying: it had completed with failed windows, a new run reads those.
   */
  outcome: 'started' | 'attached' | 'finished' | 'retrying';
  workflowId: string;
  handle: BackfillHandle;
  /** The earlier run's result when `outcome` is finished. */
  result?: BackfillProgress;
}

/**
 * Starts a backfill idempotently. Its id is derived from feed, source and range, so a second start of the same range
 * attaches to the running one instead of reading it twice, and a completed one is not re-run (ALLOW_DUPLICATE_FAILED_ONLY:
 * a failed, cancelled or terminated one may start again; its windows already read are skipped by their own ids).
 */
export async function startBackfill(client: Client, opts: StartBackfillOptions): Promise<StartedBackfill> {
  const workflowId = backfillWorkflowId(opts.feed, opts.source, opts.from, opts.to);
  const input: BackfillInput = { feed: opts.feed, source: opts.source, from: opts.from, to: opts.to, concurrency: opts.concurrency, windowMs: opts.windowMs, splitPolicy: opts.splitPolicy, pacing: opts.pacing };
  const start = (workflowIdReusePolicy: WorkflowIdReusePolicy): Promise<BackfillHandle> =>
    client.workflow.start(backfill, {
      workflowId, taskQueue: opts.taskQueue, args: [input], workflowIdReusePolicy,
      typedSearchAttributes: [{ key: SA.feed, value: opts.feed }, { key: SA.source, value: opts.source }, { key: SA.kind, value: 'backfill' }],
      staticSummary: `backfill ${opts.feed} ${opts.source} ${opts.from} → ${opts.to}`,
    });
  try {
    return { outcome: 'started', workflowId, handle: await start(WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY) };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  const handle = client.workflow.getHandle<typeof backfill>(workflowId);
  const { status } = await handle.describe();
  if (status.name !== 'COMPLETED') return { outcome: 'attached', workflowId, handle };
  const result = await handle.result();
  if (result.windowsFailed === 0) return { outcome: 'finished', workflowId, handle, result };
  // Completed, but some windows were terminated by hand: run again; finished windows are skipped by their ids.
  try {
    return { outcome: 'retrying', workflowId, handle: await start(WorkflowIdReusePolicy.ALLOW_DUPLICATE) };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { outcome: 'attached', workflowId, handle: client.workflow.getHandle<typeof backfill>(workflowId) };
  }
}

/** The handle of an existing backfill, by its parts or its workflow id; the latest run (continue-as-new is followed). */
export function backfillHandle(client: Client, target: BackfillTarget | { workflowId: string }): BackfillHandle {
  const id = 'workflowId' in target ? target.workflowId : backfillWorkflowId(target.feed, target.source, target.from, target.to);
  return client.workflow.getHandle<typeof backfill>(id);
}

export type BackfillState =
  | { state: 'running'; progress?: BackfillProgress; note?: string }
  | { state: 'completed'; progress: BackfillProgress }
  | { state: 'closed'; status: string };

/** Where a backfill stands: a running one is asked (`progress` query); a completed one gives its result. */
export async function backfillState(handle: BackfillHandle): Promise<BackfillState> {
  const { status } = await handle.describe();
  if (status.name === 'RUNNING') {
    try {
      return { state: 'running', progress: await handle.query(backfillProgressQuery) };
    } catch (err) {
      // The query is registered once the workflow has read the feed's settings: until then it is starting.
      if ((err as Error).name === 'QueryNotRegisteredError') return { state: 'running', note: 'starting: reading the feed settings' };
      return { state: 'running', note: 'no worker answered (is a worker polling its task queue?); the backfill waits, nothing is lost' };
    }
  }
  if (status.name === 'COMPLETED') return { state: 'completed', progress: await handle.result() };
  return { state: 'closed', status: status.name };
}

/**
 * Waits for a backfill to end, asking for its progress every `everyMs` (one query in flight at a time, so a worker
 * restart does not pile queries up). Resolves with the final progress; rejects if the workflow failed or was cancelled.
 */
export async function followBackfill(handle: BackfillHandle, onProgress: (p: BackfillProgress) => void, sideCalls: SideCalls, everyMs = 1000): Promise<BackfillProgress> {
  const ended = handle.result().then((progress) => ({ progress }), (error: unknown) => ({ error }));
  let asking = false;
  let over = false;
  for (;;) {
    const outcome = await Promise.race([ended, new Promise<undefined>((r) => setTimeout(() => r(undefined), everyMs))]);
    if (outcome) {
      over = true; // a query answered late must not overwrite the final progress
      if ('error' in outcome) throw outcome.error;
      onProgress(outcome.progress);
      return outcome.progress;
    }
    if (!asking) {
      asking = true;
      // A query that fails (worker restarting) or a bar that cannot draw just skips this update.
      sideCalls.run(() => handle.query(backfillProgressQuery)).then((p) => {
        if (!over) onProgress(p);
      }).catch(() => undefined).finally(() => {
        asking = false;
      });
    }
  }
}
