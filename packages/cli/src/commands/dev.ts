import path from 'node:path';
import { type Command, Option } from 'commander';
import { LOG_FORMATS, type LogFormat, createLogger } from '@entra-ingest/config';
import { type DevStack, startDevStack } from '../dev-stack';
import { CommandFailure } from '../errors';
import { type PortClaim, portsInUse, portsInUseMessage } from '../port-check';
import { parseIntOption } from '../option-parsers';

const projectRoot = path.resolve(__dirname, '../../../..');

interface DevOpts { dataDir: string; uiPort: number; temporalPort: number; simulatorPort: number; metricsPort: number; eventsPerMinute: number; logFormat?: LogFormat }

/** Every port the stack listens on, with the flag that moves it (the SDK's own metrics take the port after ours). */
function portClaims(opts: DevOpts): PortClaim[] {
  return [
    { port: opts.temporalPort, flag: '--temporal-port', what: 'Temporal gRPC' },
    { port: opts.uiPort, flag: '--ui-port', what: 'Temporal Web UI' },
    { port: opts.simulatorPort, flag: '--simulator-port', what: 'Graph simulator' },
    { port: opts.metricsPort, flag: '--metrics-port', what: 'worker metrics' },
    ...(opts.metricsPort ? [{ port: opts.metricsPort + 1, flag: '--metrics-port', what: 'Temporal SDK metrics, the port after --metrics-port' }] : []),
  ];
}

function banner(stack: DevStack): string {
  return [
    '',
    'entra-ingest is running',
    `  Temporal Web UI:   ${stack.uiUrl}`,
    `  Temporal address:  ${stack.temporalAddress}`,
    `  Temporal CLI:      pnpm -s temporal workflow list   (the bundled CLI; it finds this server on its own)`,
    `  Graph simulator:   ${stack.simulatorUrl}`,
    `  OCSF files:        ${stack.ocsfDir}`,
    `  Demo config:       ${stack.configFile}   (found by every command run from this directory)`,
    // One schedule a line: a feed with every source enabled would otherwise print one very long line.
    ...stack.schedules.map((s, i) => `${i === 0 ? '  Schedules:        ' : '                   '} ${s.scheduleId} (every ${s.every})`),
    `  Metrics:           http://127.0.0.1:${stack.worker.metricsPort}/metrics`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description('run everything locally: Temporal dev server + Web UI, Graph simulator, worker, the demo feed and its schedules')
    .option('--data-dir <dir>', 'where Temporal, the store and OCSF files live', '.data')
    .option('--ui-port <port>', 'Temporal Web UI port', parseIntOption('--ui-port'), 8233)
    .option('--temporal-port <port>', 'Temporal gRPC port', parseIntOption('--temporal-port'), 7233)
    .option('--simulator-port <port>', 'Graph simulator port', parseIntOption('--simulator-port'), 8443)
    .option('--metrics-port <port>', 'worker metrics port (the Temporal SDK\'s metrics use the next one)', parseIntOption('--metrics-port'), 9464)
    .option('--events-per-minute <n>', 'demo tenant activity rate', parseIntOption('--events-per-minute', 1), 30)
    .addOption(new Option('--log-format <format>', 'text (default): short lines for a person; json: for a log pipeline').choices(LOG_FORMATS))
    .action(async (opts: DevOpts) => {
      const logger = createLogger('dev', { format: opts.logFormat ?? (process.env.ENTRA_INGEST_LOG_FORMAT ? undefined : 'text') });
      const dataDir = path.resolve(opts.dataDir);
      // One Ctrl-C stops everything, also while starting; a second one leaves at once.
      const aborted = new AbortController();
      let stack: DevStack | undefined;
      let stopping: Promise<void> | undefined;
      const onSignal = (): void => {
        if (stopping || aborted.signal.aborted) {
          process.stderr.write('\nstopping now\n');
          process.exit(130);
        }
        process.stderr.write('\nstopping… (Ctrl-C again to leave at once)\n');
        aborted.abort();
        if (stack) stopping = stack.stop();
      };
      // SIGHUP too: the terminal closing must stop the server, which is outside the terminal's process group.
      const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
      for (const s of signals) process.on(s, onSignal);
      try {
        const taken = await portsInUse(portClaims(opts));
        if (taken.length) throw new CommandFailure(`cannot start the dev stack:\n  ${portsInUseMessage(taken).split('\n').join('\n  ')}`);
        try {
          stack = await startDevStack({ ...opts, projectRoot, dataDir, logger, signal: aborted.signal });
        } catch (err) {
          if (aborted.signal.aborted) {
            process.stderr.write('stopped\n');
            return;
          }
          throw err;
        }
        if (aborted.signal.aborted) stopping = stack.stop();
        else process.stdout.write(banner(stack));
        // The worker ends on Ctrl-C (or on a fatal error): either way the rest of the stack goes with it.
        try {
          await stack.running;
        } finally {
          await (stopping ??= stack.stop());
          process.stderr.write('stopped\n');
        }
      } finally {
        for (const s of signals) process.off(s, onSignal);
      }
    });
}
