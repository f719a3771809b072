export { createActivities, type ActivityDeps } from './activities';
export { createIngestWorker, type IngestWorker, type IngestWorkerOptions } from './worker';
export { FeedRegistry, FeedRuntime } from './feeds';
export { IngestMetrics } from './metrics';
export { blobStoreFromConfig } from './blob-store';
export { MEMORY_ENV, availableMemoryMb, sizeWorker, type WorkerSizing } from './sizing';
export { EVENTS_PER_PART, PartCutter, type PendingPart } from './record-mapper';
