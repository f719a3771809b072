import { type Command, Option } from 'commander';
import { LOG_FORMATS, type LogFormat, createLogger } from '@entra-ingest/config';
import { createIngestWorker } from '@entra-ingest/worker';
import { loadConfigOption, configHelp } from '../config-option';
import { parseIntOption } from '../option-parsers';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run a worker: ingestion activities and workflows for the feeds in the config')
    .option('--config <file>', configHelp())
    .option('--task-queue <name>', 'Temporal task queue (default from config: entra-ingest)')
    .option('--metrics-port <port>', 'serve Prometheus metrics on this port (0: any); the SDK\'s own on the next one', parseIntOption('--metrics-port'))
    .option('--metrics-host <address>', 'address the metrics ports listen on (default config metrics.host, else 127.0.0.1)')
    .addOption(new Option('--log-format <format>', 'json (default; or $ENTRA_INGEST_LOG_FORMAT): lines for a log pipeline; text: for a person').choices(LOG_FORMATS))
    .action(async (opts: { config?: string; taskQueue?: string; metricsPort?: number; metricsHost?: string; logFormat?: LogFormat }) => {
      const loaded = loadConfigOption(opts.config);
      const logger = createLogger('worker', { format: opts.logFormat });
      // Until the worker runs (it may wait for an unreachable Temporal), Ctrl-C / SIGTERM end the wait; after that
      // Worker.run() handles them, letting in-flight activities finish within the grace time.
      const starting = new AbortController();
      const abort = (): void => starting.abort();
      process.once('SIGINT', abort);
      process.once('SIGTERM', abort);
      let worker;
      try {
        worker = await createIngestWorker({ loaded, taskQueue: opts.taskQueue, metricsPort: opts.metricsPort, metricsHost: opts.metricsHost, logger, signal: starting.signal });
      } finally {
        process.off('SIGINT', abort);
        process.off('SIGTERM', abort);
      }
      await worker.run();
    });
}
