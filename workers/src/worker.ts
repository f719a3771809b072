import v8 from 'node:v8';
import type { Duration } from '@temporalio/common';
import { Runtime, Worker } from '@temporalio/worker';
import { type FeedConfig, type LoadedConfig, type Logger, createLogger, temporalTarget, unreadableCredentials } from '@entra-ingest/config';
import { graphTaskQueue } from '@entra-ingest/workflows';
import { dataConverterFromConfig } from '@entra-ingest/codec';
import { createEventValidator } from '@entra-ingest/ocsf';
import { importLegacyDeadLetters } from '@entra-ingest/sinks';
import type { BlobStore } from '@entra-ingest/store';
import { createActivities } from './activities';
import { blobStoreFromConfig } from './blob-store';
import { FeedRegistry } from './feeds';
import { IngestMetrics } from './metrics';
import { connectWhenReachable } from './connect';
import { sdkLogger } from './sdk-log';
import { availableMemoryMb, sizeWorker } from './sizing';
import { pagesPerFetch, tenantRequestsPerSecond } from './fetch-budget';
import { workflowCodeOptions } from './workflow-bundle';

export interface IngestWorkerOptions {
  loaded: LoadedConfig;
  /** Overrides for the Temporal target (else env vars, then config). */
  address?: string;
  namespace?: string;
  taskQueue?: string;
  /** Port for the worker's /metrics (0: any free port; undefined: from config or off). */
  metricsPort?: number;
  /** Address the metrics ports listen on (else config `metrics.host`, default loopback). */
  metricsHost?: string;
  logger?: Logger;
  /** How long a shutdown waits for in-flight activities. */
  shutdownGraceTime?: Duration;
  maxConcurrentActivityTaskExecutions?: number;
  /** Ends the wait for an unreachable Temporal server (the worker waits while it cannot connect). */
  signal?: AbortSignal;
}

export interface IngestWorker {
  worker: Worker;
  metrics: IngestMetrics;
  metricsPort?: number;
  /** Runs until shutdown() or a SIGINT/SIGTERM, then closes connections. */
  run(): Promise<void>;
  shutdown(): void;
}

let runtimeInstalled = false;

/** Routes the Temporal SDK's own logs into ours (once per process). */
function installRuntime(logger: Logger, temporalMetricsPort?: number, metricsHost = '127.0.0.1'): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({
      // The SDK's own metrics (task slots, poll latencies, schedule-to-start) on the port after ours.
      ...(temporalMetricsPort !== undefined ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `${metricsHost.includes(':') ? `[${metricsHost}]` : metricsHost}:${temporalMetricsPort}` } } } } : {}),
      logger: sdkLogger(logger),
    });
  } catch {
    // A runtime was installed already (tests create several workers): keep it.
  }
}

/**
 * Each tenant's Graph task queue and its rate: the strictest limit configured for any feed of that tenant, in fetch
 * activities per second (requests ÷ the pages one fetch reads, see fetch-budget.ts).
 */
export function graphQueues(feeds: FeedConfig[], taskQueue: string): { tenantId: string; taskQueue: string; perSecond: number }[] {
  const tenants = [...new Set(feeds.map((f) => f.tenantId))];
  return tenants.map((tenantId) => {
    const requests = tenantRequestsPerSecond(feeds, tenantId);
    return { tenantId, taskQueue: graphTaskQueue(taskQueue, tenantId), perSecond: requests / pagesPerFetch(requests) };
  });
}

/**
 * Dead letters an earlier version wrote on this worker's disk go into the store (see legacy-dead-letters.ts in the
 * sinks package). A failure only warns: the files stay, and the next start tries again.
 */
async function importLegacyLetters(store: BlobStore, dataDir: string, logger: Logger): Promise<void> {
  try {
    const r = await importLegacyDeadLetters(store, dataDir);
    if (r.files) logger.info('dead letters of an earlier version imported into the store', { dataDir, files: r.files, written: r.written, alreadyThere: r.existing });
    if (r.unreadable.length) logger.warn('lines of earlier dead-letter files are not letters: those files stay as they are', { unreadable: r.unreadable.slice(0, 5), total: r.unreadable.length });
  } catch (err) {
    logger.warn('cannot import dead letters of an earlier version; the next start tries again', { dataDir, error: (err as Error).message });
  }
}

export async function createIngestWorker(opts: IngestWorkerOptions): Promise<IngestWorker> {
  const logger = opts.logger ?? createLogger('worker');
  const wantedPort = opts.metricsPort ?? opts.loaded.config.metrics?.port;
  // Loopback unless configured: metrics name feeds, tenants' activity and error rates.
  const metricsHost = opts.metricsHost ?? opts.loaded.config.metrics?.host ?? '127.0.0.1';
  installRuntime(logger.child('temporal'), wantedPort ? wantedPort + 1 : undefined, metricsHost);
  const target = temporalTarget(opts.loaded.config);
  const metrics = new IngestMetrics(true);
  const feeds = new FeedRegistry(opts.loaded, logger, metrics);
  const validator = opts.loaded.config.validateEvents ? createEventValidator() : undefined;
  const blobs = blobStoreFromConfig(opts.loaded);
  const store = blobs.store;
  const connection = await connectWhenReachable({ address: opts.address ?? target.address, tls: target.tls, apiKey: target.apiKey }, logger, opts.signal);
  const taskQueue = opts.taskQueue ?? target.taskQueue;
  // Payload encryption when temporal.encryption is configured (keys are read here, in the worker).
  const dataConverter = dataConverterFromConfig(opts.loaded.config, opts.loaded.baseDir);
  const namespace = opts.namespace ?? target.namespace;
  const activities = createActivities({ feeds, store, validator, metrics, logger });
  const shutdownGraceTime = opts.shutdownGraceTime ?? '30s';
  const sizing = sizeWorker(availableMemoryMb());
  const converter = dataConverter ? { dataConverter } : {};
  const workflowCode = workflowCodeOptions(dataConverter?.failureConverterPath);
  const worker = await Worker.create({
    connection, namespace, taskQueue, activities, shutdownGraceTime, ...converter,
    ...workflowCode,
    // Sized from the memory the process may use (container limit or machine): see sizing.ts.
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions ?? sizing.maxConcurrentActivityTaskExecutions,
    maxCachedWorkflows: sizing.maxCachedWorkflows,
  });
  // One activity worker per tenant for Graph requests: the server hands out that queue's tasks no faster than
  // Graph's per-tenant limit, across every worker process, so backfills and schedules share the budget.
  const graphWorkers = await Promise.all(
    graphQueues(opts.loaded.config.feeds, taskQueue).map((q) =>
      Worker.create({
        connection, namespace, taskQueue: q.taskQueue, activities, shutdownGraceTime, ...converter,
        maxTaskQueueActivitiesPerSecond: q.perSecond,
        maxConcurrentActivityTaskExecutions: 4,
      }),
    ),
  );
  const all = [worker, ...graphWorkers];
  const served = wantedPort === undefined ? undefined : await metrics.serve(wantedPort, metricsHost);
  // Node takes a heap cap only at start: say so when this process was started without the one it is sized for.
  const heapLimitMb = Math.round(v8.getHeapStatistics().heap_size_limit / 1024 / 1024);
  if (heapLimitMb > sizing.heapCapMb * 1.5) {
    logger.warn('heap limit above what this worker is sized for', { heapLimitMb, heapCapMb: sizing.heapCapMb, fix: `start node with --max-old-space-size=${sizing.heapCapMb} (the image's entry point does)` });
  }
  // Two lines, so each stays readable on a terminal.
  logger.info('worker sized', { sizing, heapLimitMb, workflowCode: 'workflowBundle' in workflowCode ? 'bundled at build' : 'bundled at start (run pnpm build)', eventValidation: !validator ? 'off' : validator.prebuilt ? 'generated at build' : 'compiled at start (run pnpm build)' });
  logger.info('worker ready', { taskQueue, store: blobs.describe, graphTaskQueues: graphWorkers.length, namespace, feeds: feeds.ids(), metricsPort: served?.port, metricsHost });
  await importLegacyLetters(store, feeds.dataDir, logger);
  for (const u of unreadableCredentials(opts.loaded.config.feeds, opts.loaded.baseDir)) {
    logger.warn('feed credential not readable: its windows wait as blocked until it is (an environment variable needs a restart of this worker)', u);
  }
  return {
    worker,
    metrics,
    metricsPort: served?.port,
    shutdown: () => {
      // Idempotent: a SIGINT may already have started the workers' own shutdown.
      for (const w of all) if (w.getState() === 'RUNNING') w.shutdown();
    },
    async run() {
      try {
        // If one worker stops (error or signal), stop the others too.
        const results = await Promise.allSettled(all.map((w) => w.run().finally(() => all.forEach((o) => o.getState() === 'RUNNING' && o.shutdown()))));
        // Only after every worker has stopped may the shared connection close; then report the first failure.
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      } finally {
        await served?.close();
        await feeds.close();
        blobs.close();
        await connection.close();
        logger.info('worker stopped');
      }
    },
  };
}
