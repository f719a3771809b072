import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export interface HistoryTotals {
  workflows: number;
  runs: number;
  events: number;
  bytes: number;
  activities: number;
  activityRetries: number;
  /** Where the bytes go, by event type (each event encoded on its own). */
  byEventType: Record<string, { count: number; bytes: number }>;
  /** Per activity type, when its first attempt started and its last completed (epoch ms), and the sum of their spans. */
  activitySpans: Record<string, ActivitySpan>;
}

export interface ActivitySpan {
  count: number;
  firstStartMs: number;
  lastEndMs: number;
  /** Sum of started → completed over the activities: ÷ (lastEndMs − firstStartMs) is how many ran at once on average. */
  busyMs: number;
}

function epochMs(t: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return Number(t?.seconds ?? 0) * 1000 + Math.round((t?.nanos ?? 0) / 1e6);
}

const EventType = temporal.api.enums.v1.EventType;

/**
 * Sums the histories of workflow ids as the server holds them, run by run (continue-as-new makes several): bytes
 * of the encoded History protobuf, event counts, activities scheduled and activity attempts beyond the first.
 */
export async function historyTotals(client: Client, workflowIds: string[], concurrency = 8): Promise<HistoryTotals> {
  const totals: HistoryTotals = { workflows: workflowIds.length, runs: 0, events: 0, bytes: 0, activities: 0, activityRetries: 0, byEventType: {}, activitySpans: {} };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < workflowIds.length) {
      const id = workflowIds[next++]!;
      // From the latest run back through continue-as-new: each run's first event names the run it continues.
      let runId: string | undefined = (await client.workflow.getHandle(id).describe()).runId;
      while (runId) {
        const history = await client.workflow.getHandle(id, runId).fetchHistory();
        totals.runs++;
        totals.bytes += temporal.api.history.v1.History.encode(history).finish().length;
        const typeOf = new Map<string, string>();
        const startedAt = new Map<string, number>();
        for (const e of history.events ?? []) {
          const scheduled = e.activityTaskScheduledEventAttributes;
          if (scheduled) typeOf.set(String(e.eventId), scheduled.activityType?.name ?? '?');
          if (e.activityTaskStartedEventAttributes) startedAt.set(String(e.activityTaskStartedEventAttributes.scheduledEventId), epochMs(e.eventTime));
          const done = e.activityTaskCompletedEventAttributes;
          if (done) {
            const key = String(done.scheduledEventId);
            const from = startedAt.get(key);
            if (from !== undefined) addSpan(totals.activitySpans, typeOf.get(key) ?? '?', { count: 1, firstStartMs: from, lastEndMs: epochMs(e.eventTime), busyMs: epochMs(e.eventTime) - from });
          }
          totals.events++;
          const type = (EventType[e.eventType ?? 0] ?? String(e.eventType)).replace(/^EVENT_TYPE_/, '');
          const entry = (totals.byEventType[type] ??= { count: 0, bytes: 0 });
          entry.count++;
          entry.bytes += temporal.api.history.v1.HistoryEvent.encode(e).finish().length;
          if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) totals.activities++;
          const attempt = e.activityTaskStartedEventAttributes?.attempt ?? 1;
          if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED && attempt > 1) totals.activityRetries += attempt - 1;
        }
        runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return totals;
}

function addSpan(spans: Record<string, ActivitySpan>, type: string, s: ActivitySpan): void {
  const t = spans[type];
  spans[type] = t
    ? { count: t.count + s.count, firstStartMs: Math.min(t.firstStartMs, s.firstStartMs), lastEndMs: Math.max(t.lastEndMs, s.lastEndMs), busyMs: t.busyMs + s.busyMs }
    : s;
}

export function addTotals(a: HistoryTotals, b: HistoryTotals): HistoryTotals {
  const byEventType = { ...a.byEventType };
  for (const [k, v] of Object.entries(b.byEventType)) {
    const e = byEventType[k] ?? { count: 0, bytes: 0 };
    byEventType[k] = { count: e.count + v.count, bytes: e.bytes + v.bytes };
  }
  const activitySpans = { ...a.activitySpans };
  for (const [k, v] of Object.entries(b.activitySpans)) addSpan(activitySpans, k, v);
  return {
    workflows: a.workflows + b.workflows, runs: a.runs + b.runs, events: a.events + b.events, bytes: a.bytes + b.bytes,
    activities: a.activities + b.activities, activityRetries: a.activityRetries + b.activityRetries, byEventType, activitySpans,
  };
}
