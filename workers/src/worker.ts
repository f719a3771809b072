import type { Duration } from '@temporalio/common';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { type LoadedConfig, type Logger, createLogger, temporalTarget } from '@entra-ingest/config';
import { dataConverterFromConfig } from '@entra-ingest/codec';
import { createEventValidator } from '@entra-ingest/ocsf';
import { FileBlobStore } from '@entra-ingest/store';
import { createActivities } from './activities';
import { FeedRegistry } from './feeds';
import { IngestMetrics } from './metrics';

export interface IngestWorkerOptions {
  loaded: LoadedConfig;
  /** Overrides for the Temporal target (else env vars, then config). */
  address?: string;
  namespace?: string;
  taskQueue?: string;
  /** Port for the worker's /metrics (0: any free port; undefined: from config or off). */
  metricsPort?: number;
  logger?: Logger;
  /** How long a shutdown waits for in-flight activities. */
  shutdownGraceTime?: Duration;
  maxConcurrentActivityTaskExecutions?: number;
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
function installRuntime(logger: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({
      logger: {
        log: (level, message, meta) => (level === 'ERROR' ? logger.error(message, meta) : level === 'WARN' ? logger.warn(message, meta) : level === 'INFO' ? logger.info(message, meta) : logger.debug(message, meta)),
        trace: (m, meta) => logger.debug(m, meta),
        debug: (m, meta) => logger.debug(m, meta),
        info: (m, meta) => logger.info(m, meta),
        warn: (m, meta) => logger.warn(m, meta),
        error: (m, meta) => logger.error(m, meta),
      },
    });
  } catch {
    // A runtime was installed already (tests create several workers): keep it.
  }
}

export async function createIngestWorker(opts: IngestWorkerOptions): Promise<IngestWorker> {
  const logger = opts.logger ?? createLogger('worker');
  installRuntime(logger.child('temporal'));
  const target = temporalTarget(opts.loaded.config);
  const feeds = new FeedRegistry(opts.loaded, logger);
  const metrics = new IngestMetrics(true);
  const validator = opts.loaded.config.validateEvents ? createEventValidator() : undefined;
  const store = new FileBlobStore(feeds.storeRoot());
  const connection = await NativeConnection.connect({
    address: opts.address ?? target.address,
    tls: target.tls,
    apiKey: target.apiKey,
  });
  const taskQueue = opts.taskQueue ?? target.taskQueue;
  // Payload encryption when temporal.encryption is configured (keys are read here, in the worker).
  const dataConverter = dataConverterFromConfig(opts.loaded.config, opts.loaded.baseDir);
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace ?? target.namespace,
    taskQueue,
    workflowsPath: require.resolve('@entra-ingest/workflows'),
    activities: createActivities({ feeds, store, validator, metrics, logger }),
    shutdownGraceTime: opts.shutdownGraceTime ?? '30s',
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions ?? 20,
    ...(dataConverter ? { dataConverter } : {}),
  });
  const wantedPort = opts.metricsPort ?? opts.loaded.config.metrics?.port;
  const served = wantedPort === undefined ? undefined : await metrics.serve(wantedPort);
  logger.info('worker ready', { taskQueue, namespace: opts.namespace ?? target.namespace, feeds: feeds.ids(), metricsPort: served?.port });
  return {
    worker,
    metrics,
    metricsPort: served?.port,
    shutdown: () => {
      // Idempotent: a SIGINT may already have started the worker's own shutdown.
      if (worker.getState() === 'RUNNING') worker.shutdown();
    },
    async run() {
      try {
        await worker.run();
      } finally {
        await served?.close();
        await feeds.close();
        await connection.close();
        logger.info('worker stopped');
      }
    },
  };
}
