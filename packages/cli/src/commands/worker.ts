import type { Command } from 'commander';
import { createIngestWorker } from '@entra-ingest/worker';
import { loadConfigOption } from '../config-option';
import { parseIntOption } from '../program';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run a worker: ingestion activities and workflows for the feeds in the config')
    .option('--config <file>', 'feeds config (YAML or JSON); default $ENTRA_INGEST_CONFIG')
    .option('--task-queue <name>', 'Temporal task queue (default from config: entra-ingest)')
    .option('--metrics-port <port>', 'serve Prometheus metrics on this port (0: any); the SDK\'s own on the next one', parseIntOption('--metrics-port'))
    .option('--metrics-host <address>', 'address the metrics ports listen on (default config metrics.host, else 127.0.0.1)')
    .action(async (opts: { config?: string; taskQueue?: string; metricsPort?: number; metricsHost?: string }) => {
      const loaded = loadConfigOption(opts.config);
      const worker = await createIngestWorker({ loaded, taskQueue: opts.taskQueue, metricsPort: opts.metricsPort, metricsHost: opts.metricsHost });
      // Worker.run() stops on SIGINT/SIGTERM, letting in-flight activities finish within the grace time.
      await worker.run();
    });
}
