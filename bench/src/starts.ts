import { type Client, ScheduleOverlapPolicy, type WorkflowHandle } from '@temporalio/client';
import type { FeedConfig } from '@entra-ingest/config';
import { SA, backfill, backfillWorkflowId, scheduleId, scheduledIngest, scheduledRunWorkflowId, type BackfillInput } from '@entra-ingest/workflows';

// How the bench starts work, the way `entra-ingest backfill` and `entra-ingest schedule create` do (same workflow ids,
// types, search attributes and schedule policy), without depending on the CLI package.

export async function startBackfill(client: Client, input: BackfillInput & { taskQueue: string }): Promise<WorkflowHandle<typeof backfill>> {
  const { taskQueue, ...args } = input;
  return client.workflow.start(backfill, {
    workflowId: backfillWorkflowId(args.feed, args.source, args.from, args.to), taskQueue, args: [args],
    typedSearchAttributes: [{ key: SA.feed, value: args.feed }, { key: SA.source, value: args.source }, { key: SA.kind, value: 'backfill' }],
  });
}

/** The feed's directory-audits schedule: every `feed.every`, overlap SKIP, first run now. Returns its id. */
export async function createAuditSchedule(client: Client, feed: FeedConfig, taskQueue: string): Promise<string> {
  const id = scheduleId(feed.id, 'directoryAudits');
  await client.schedule.create({
    scheduleId: id,
    spec: { intervals: [{ every: feed.every }] },
    action: {
      type: 'startWorkflow', workflowType: scheduledIngest.name, args: [{ feed: feed.id, source: 'directoryAudits' }], taskQueue,
      workflowId: scheduledRunWorkflowId(feed.id, 'directoryAudits'),
      typedSearchAttributes: [{ key: SA.feed, value: feed.id }, { key: SA.source, value: 'directoryAudits' }, { key: SA.kind, value: 'schedule-run' }],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day', pauseOnFailure: false },
    state: { triggerImmediately: true },
  } as Parameters<typeof client.schedule.create>[0]);
  return id;
}
