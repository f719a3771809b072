import path from 'node:path';
import type { Command } from 'commander';
import { createLogger } from '@entra-ingest/config';
import { startDevStack } from '../dev-stack';
import { parseIntOption } from '../program';

const projectRoot = path.resolve(__dirname, '../../../..');

export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description('run everything locally: Temporal dev server + Web UI, Graph simulator, worker, the demo feed and its schedules')
    .option('--data-dir <dir>', 'where Temporal, the store and OCSF files live', '.data')
    .option('--ui-port <port>', 'Temporal Web UI port', parseIntOption('--ui-port'), 8233)
    .option('--temporal-port <port>', 'Temporal gRPC port', parseIntOption('--temporal-port'), 7233)
    .option('--simulator-port <port>', 'Graph simulator port', parseIntOption('--simulator-port'), 8443)
    .option('--metrics-port <port>', 'worker metrics port', parseIntOption('--metrics-port'), 9464)
    .option('--events-per-minute <n>', 'demo tenant activity rate', parseIntOption('--events-per-minute', 1), 30)
    .action(async (opts: { dataDir: string; uiPort: number; temporalPort: number; simulatorPort: number; metricsPort: number; eventsPerMinute: number }) => {
      const logger = createLogger('dev');
      const dataDir = path.resolve(opts.dataDir);
      const stack = await startDevStack({ ...opts, projectRoot, dataDir, logger });
      const lines = [
        '',
        'entra-ingest is running',
        `  Temporal Web UI:   ${stack.uiUrl}`,
        `  Temporal address:  ${stack.temporalAddress}   (temporal workflow list --address ${stack.temporalAddress})`,
        `  Graph simulator:   ${stack.simulatorUrl}`,
        `  OCSF files:        ${stack.ocsfDir}`,
        `  Demo config:       ${stack.configFile}`,
        `  Schedules:         ${stack.schedules.map((s) => `${s.scheduleId} (every ${s.every})`).join(', ')}`,
        `  Metrics:           http://127.0.0.1:${stack.worker.metricsPort}/metrics`,
        'Press Ctrl-C to stop.',
        '',
      ];
      process.stdout.write(lines.join('\n'));
      let stopping = false;
      const stop = (): void => {
        if (stopping) return;
        stopping = true;
        process.stdout.write('\nstopping…\n');
        stack.stop().then(() => process.stdout.write('stopped\n'));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await stack.running;
      stop();
    });
}
