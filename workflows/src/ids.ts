import { compactTime } from './windows';

// Deterministic workflow and schedule ids: a window, a backfill or a feed's reminder can never run twice at once,
// and starting one again finds the existing run. They read well in the Web UI.

/** Start AND end: windows of different sizes (a backfill beside the schedule, a changed window) never share an id. */
export const windowWorkflowId = (feed: string, source: string, windowStart: string, windowEnd: string): string =>
  `ingest/${feed}/${source}/${compactTime(windowStart)}-${compactTime(windowEnd)}`;

export const scheduleId = (feed: string, source: string): string => `entra-ingest/${feed}/${source}`;

export const scheduledRunWorkflowId = (feed: string, source: string): string => `schedule/${feed}/${source}`;

export const userInventoryWorkflowId = (feed: string): string => `users/${feed}`;

export const backfillWorkflowId = (feed: string, source: string, from: string, to: string): string =>
  `backfill/${feed}/${source}/${compactTime(from)}-${compactTime(to)}`;

export const credentialExpiryWorkflowId = (feed: string): string => `credential-expiry/${feed}`;

export const checkWorkflowId = (feed: string, nonce: string): string => `check/${feed}/${nonce}`;

/** The task queue of a tenant's Graph requests: its activity rate limit is Graph's per-tenant limit, for all workers. */
export const graphTaskQueue = (taskQueue: string, tenantId: string): string => `${taskQueue}/graph/${tenantId}`;
