// Workflow code only: deterministic, no I/O. The worker bundles this module (workflowsPath).
export { ingestWindow, windowProgressQuery } from './ingest-window';
export type { IngestWindowInput, WindowProgress, WindowTotals } from './ingest-window';
export { scheduledIngest } from './scheduled-ingest';
export type { ScheduledIngestInput, ScheduledIngestResult } from './scheduled-ingest';
export { usersSync } from './users-sync';
export type { UsersSyncInput, UsersSyncResult } from './users-sync';
export * from './activity-types';
export * from './ids';
export * from './windows';
export { SA } from './search-attributes';
export { DEFAULT_PACING } from './resilient';
export type { RetryPacing } from './resilient';
export { backfill, backfillProgressQuery, pauseSignal, resumeSignal } from './backfill';
export type { BackfillInput, BackfillProgress, BackfillState } from './backfill';
export { credentialExpiry, credentialStatusQuery, credentialRotatedSignal, credentialRotatedUpdate } from './credential-expiry';
export type { CredentialExpiryInput, CredentialExpiryStatus } from './credential-expiry';
export { checkFeed } from './check';
export * from './reminders';
