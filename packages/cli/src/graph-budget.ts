import type { Client } from '@temporalio/client';
import { type FeedConfig, formatDuration } from '@entra-ingest/config';
import { graphTaskQueue } from '@entra-ingest/workflows';
import type { SideCalls } from './side-calls';

/** What the tenant's Graph task queue holds: requests waiting for the tenant's budget. */
export interface GraphQueueState {
  queued: number;
}

/**
 * The backlog of the tenant's Graph queue (every Graph request of every feed of the tenant waits there for the
 * budget the server hands out at the configured rate), from Temporal's task-queue statistics. Undefined when the
 * server cannot say (older servers, no permission): the bar then just shows no note.
 */
export async function graphQueueState(client: Client, sideCalls: SideCalls, namespace: string, taskQueue: string, tenantId: string): Promise<GraphQueueState | undefined> {
  try {
    const r = await sideCalls.run(() => client.workflowService.describeTaskQueue({
      namespace,
      // TASK_QUEUE_KIND_NORMAL (1), TASK_QUEUE_TYPE_ACTIVITY (2): Temporal's API enums, by value.
      taskQueue: { name: graphTaskQueue(taskQueue, tenantId), kind: 1 },
      taskQueueType: 2,
      reportStats: true,
    }));
    const backlog = r.stats?.approximateBacklogCount;
    return backlog === undefined || backlog === null ? undefined : { queued: Number(backlog) };
  } catch {
    return undefined;
  }
}

/**
 * "waiting for the tenant's Graph budget (5 requests per 10s): 37 requests queued, 33 of them from the schedule or
 * other backfills" — why a backfill sits still: each of its running windows has at most one request in the queue, so
 * what is queued beyond that is other work sharing the budget. Undefined when nothing waits.
 */
export function budgetNote(queue: GraphQueueState | undefined, backfillRunning: number, rateLimit: FeedConfig['rateLimit']): string | undefined {
  if (!queue || queue.queued <= 0) return undefined;
  const others = Math.max(0, queue.queued - backfillRunning);
  const budget = `${rateLimit.requests} requests per ${formatDuration(rateLimit.per)}`;
  const whose = others === 0 ? 'all of them this backfill\'s' : `${others} of them from the schedule or other backfills`;
  return `waiting for the tenant's Graph budget (${budget}): ${queue.queued} requests queued, ${whose}`;
}

/** A note for each progress update, from queue statistics fetched at most every `everyMs` (never awaited by the bar). */
export function watchGraphBudget(client: Client, sideCalls: SideCalls, target: { namespace: string; taskQueue: string }, feed: Pick<FeedConfig, 'tenantId' | 'rateLimit'>, everyMs = 5000): { note(p: { running: number }): string | undefined } {
  let state: GraphQueueState | undefined;
  let askedAt = -Infinity;
  let asking = false;
  return {
    note(p) {
      if (!asking && Date.now() - askedAt >= everyMs) {
        asking = true;
        askedAt = Date.now();
        void graphQueueState(client, sideCalls, target.namespace, target.taskQueue, feed.tenantId).then((s) => { state = s; }).finally(() => { asking = false; });
      }
      return budgetNote(state, p.running, feed.rateLimit);
    },
  };
}
