import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { type FeedConfig, enabledSources, formatDuration } from '@entra-ingest/config';
import { isDeltaSource } from '@entra-ingest/sources';
import {
  SA, credentialExpiry, credentialExpiryWorkflowId, scheduleId, scheduledIngest, scheduledRunWorkflowId, usersSync,
} from '@entra-ingest/workflows';

export interface ScheduleSummary {
  scheduleId: string;
  feed: string;
  source: string;
  every: string;
  created: boolean;
}

/**
 * One Temporal Schedule per feed and source. Overlap SKIP: two runs of a feed never race; catch-up after the
 * schedule itself was down is bounded by catchupWindow and the runs' own cursor catches up the rest.
 */
export async function ensureSchedules(client: Client, feed: FeedConfig, taskQueue: string, opts: { triggerNow?: boolean } = {}): Promise<ScheduleSummary[]> {
  const out: ScheduleSummary[] = [];
  for (const source of enabledSources(feed)) {
    const id = scheduleId(feed.id, source);
    const inventory = isDeltaSource(source);
    const every = inventory ? feed.usersEvery : feed.every;
    const typedSearchAttributes = [
      { key: SA.feed, value: feed.id }, { key: SA.source, value: source }, { key: SA.kind, value: 'schedule-run' },
    ];
    // Workflow types by name: the schedule outlives this process and names the worker's registered workflows.
    const action = {
      type: 'startWorkflow' as const,
      workflowType: inventory ? usersSync.name : scheduledIngest.name,
      args: [{ feed: feed.id, source }],
      taskQueue,
      workflowId: scheduledRunWorkflowId(feed.id, source),
      typedSearchAttributes,
    };
    let created = true;
    try {
      await client.schedule.create({
        scheduleId: id,
        spec: { intervals: [{ every }] },
        action,
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day', pauseOnFailure: false },
        memo: { description: `entra-ingest ${feed.id} ${source} every ${formatDuration(every)}` },
        state: { note: `created by entra-ingest for feed ${feed.id}`, triggerImmediately: opts.triggerNow ?? false },
      } as Parameters<typeof client.schedule.create>[0]);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      created = false;
      await client.schedule.getHandle(id).update((prev) => ({ ...prev, spec: { intervals: [{ every }] }, action }));
      if (opts.triggerNow) await client.schedule.getHandle(id).trigger();
    }
    out.push({ scheduleId: id, feed: feed.id, source, every: formatDuration(every), created });
  }
  return out;
}

export interface CredentialWatch {
  workflowId: string;
  started: boolean;
}

/**
 * Makes sure the feed's credential-expiry reminder workflow runs (one per feed, id `credential-expiry/<feed>`); starting
 * it again is harmless. A watch that was terminated or failed is started anew.
 */
export async function ensureCredentialWatch(client: Client, feed: FeedConfig, taskQueue: string): Promise<CredentialWatch> {
  const workflowId = credentialExpiryWorkflowId(feed.id);
  try {
    await client.workflow.start(credentialExpiry, {
      workflowId, taskQueue,
      args: [{ feed: feed.id, reminderDays: feed.credentialExpiry.reminderDays }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: [{ key: SA.feed, value: feed.id }, { key: SA.kind, value: 'credential-expiry' }],
      staticSummary: `credential expiry reminders for feed ${feed.id}`,
    });
    return { workflowId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw err;
  }
}
