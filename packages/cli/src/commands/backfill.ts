import { type Command, InvalidArgumentError } from 'commander';
import { type LoadedConfig, type WindowedSource, chooseConfigFile, parseDuration } from '@entra-ingest/config';
import { type BackfillProgress, pauseSignal, resumeSignal } from '@entra-ingest/workflows';
import { backfillRangeProblems, describeRange } from '../backfill-range';
import { type BackfillHandle, type BackfillTarget, backfillHandle, backfillState, followBackfill, startBackfill } from '../backfill-control';
import { loadConfigOption, configHelp } from '../config-option';
import { CommandFailure, UsageError } from '../errors';
import { feedOption } from '../feed-option';
import { watchGraphBudget } from '../graph-budget';
import { parseIntOption, parseIsoOption } from '../option-parsers';
import { createProgressView, progressLine } from '../progress-bar';
import { connectTemporal } from '../temporal';

interface TargetOpts {
  config?: string;
  feed?: string;
  source?: string;
  from?: string;
  to?: string;
  workflowId?: string;
}

interface StartOpts extends TargetOpts {
  concurrency: number;
  window?: number;
  wait?: boolean;
}

function parseDurationOption(name: string): (value: string) => number {
  return (value: string) => {
    try {
      return parseDuration(value);
    } catch (err) {
      throw new InvalidArgumentError(`${name}: ${(err as Error).message}`);
    }
  };
}

const withTarget = (c: Command): Command =>
  c
    .option('--config <file>', configHelp())
    .option('--feed <id>', 'feed id')
    .option('--source <source>', 'directoryAudits or signIns')
    .option('--from <iso>', 'range start, ISO 8601 (e.g. 2026-11-01T00:00:00Z)', parseIsoOption('--from'))
    .option('--to <iso>', 'range end (exclusive), ISO 8601', parseIsoOption('--to'));

/** The backfill a control command is about: --workflow-id, or the same --feed/--source/--from/--to it was started with. */
function targetOf(opts: TargetOpts, verb: string): BackfillTarget | { workflowId: string } {
  if (opts.workflowId) return { workflowId: opts.workflowId };
  const missing = (['feed', 'source', 'from', 'to'] as const).filter((k) => !opts[k]).map((k) => `--${k}`);
  if (missing.length) throw new UsageError(`backfill ${verb} needs --workflow-id, or --feed, --source, --from and --to as given to start (missing ${missing.join(', ')})`);
  return { feed: opts.feed!, source: opts.source as WindowedSource, from: opts.from!, to: opts.to! };
}

/** Control commands need the config only for the Temporal address; environment variables alone are enough. */
function optionalConfig(file: string | undefined): LoadedConfig['config'] | undefined {
  return chooseConfigFile(file) ? loadConfigOption(file).config : undefined;
}

async function withBackfill(opts: TargetOpts, verb: string, act: (handle: BackfillHandle) => Promise<void>): Promise<void> {
  const target = targetOf(opts, verb);
  const t = await connectTemporal(optionalConfig(opts.config));
  try {
    await act(backfillHandle(t.client, target));
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') throw new CommandFailure(`no backfill ${backfillHandle(t.client, target).workflowId} on ${t.target.address} (namespace ${t.target.namespace})`);
    throw err;
  } finally {
    await t.close();
  }
}

function summary(p: BackfillProgress): string {
  return `${p.windowsDone} windows read, ${p.windowsSkipped} already read before, ${p.windowsFailed} failed; ${p.eventsDelivered} events delivered`;
}

async function runStart(opts: StartOpts): Promise<void> {
  const loaded = loadConfigOption(opts.config);
  const feed = feedOption(loaded.config, opts.feed, 'backfill');
  if (!opts.source || !opts.from || !opts.to) throw new UsageError('backfill needs --source, --from and --to');
  const problems = backfillRangeProblems(feed, { source: opts.source, from: opts.from, to: opts.to, windowMs: opts.window }, Date.now());
  if (problems.length) throw new UsageError(`cannot backfill feed "${feed.id}":\n  - ${problems.join('\n  - ')}`);
  const windowMs = opts.window;
  const t = await connectTemporal(loaded.config);
  try {
    const started = await startBackfill(t.client, {
      feed: feed.id, source: opts.source as WindowedSource, from: opts.from, to: opts.to, concurrency: opts.concurrency,
      windowMs: opts.window, taskQueue: t.target.taskQueue,
    });
    const out = process.stdout;
    if (started.outcome === 'finished') {
      out.write(`already done: ${started.workflowId} completed earlier (${summary(started.result!)}); not run again\n`);
      return;
    }
    const verb = { started: 'started', attached: 'already running, attached to', retrying: 'started again to read the failed windows of' }[started.outcome];
    out.write(`${verb} ${started.workflowId}: ${describeRange({ from: opts.from, to: opts.to, windowMs })}, ${opts.concurrency} at a time, task queue ${t.target.taskQueue}\n`);
    if (!opts.wait) {
      out.write(`follow it with: entra-ingest backfill status --workflow-id '${started.workflowId}'   (or start again with --wait)\n`);
      return;
    }
    process.stderr.write('Ctrl-C stops watching only; the backfill goes on (stop it with: entra-ingest backfill cancel …)\n');
    const view = createProgressView(process.stderr);
    let final: BackfillProgress;
    try {
      const budget = watchGraphBudget(t.client, t.sideCalls, t.target, feed);
      final = await followBackfill(started.handle, (p) => view.update(p, budget.note(p)), t.sideCalls, 1000);
    } catch (err) {
      view.stop();
      const cause = (err as { cause?: Error }).cause;
      throw new CommandFailure(`backfill ${started.workflowId} did not complete: ${cause?.message ?? (err as Error).message}`);
    }
    view.stop();
    out.write(`done: ${summary(final)}\n`);
    if (final.windowsFailed > 0) {
      throw new CommandFailure(`${final.windowsFailed} window(s) ended without completing; run the same backfill command again to read them`);
    }
  } finally {
    await t.close();
  }
}

export function registerBackfillCommand(program: Command): void {
  const backfill = program
    .command('backfill')
    .description('read a past range [from, to) (within Graph retention) with as few Graph requests as its records need; pause, resume, status, cancel');

  withTarget(backfill.command('start', { isDefault: true }).description('start (or attach to) a backfill; the default subcommand'))
    .option('--concurrency <n>', 'windows read at the same time', parseIntOption('--concurrency', 1), 4)
    .option('--window <duration>', 'size of the windows the range starts as, e.g. 1d (default: the whole range as one window); windows split by volume either way', parseDurationOption('--window'))
    .option('--wait', 'show progress until it ends; exit 0 only if every window was read')
    .action((opts: StartOpts) => runStart(opts));

  const control = (name: string, description: string) =>
    withTarget(backfill.command(name).description(description)).option('--workflow-id <id>', 'the backfill workflow id (instead of --feed/--source/--from/--to)');

  control('pause', 'stop starting new windows (running ones finish)').action((opts: TargetOpts) =>
    withBackfill(opts, 'pause', async (h) => {
      await h.signal(pauseSignal);
      process.stdout.write(`pause requested: ${h.workflowId} starts no new windows until resumed\n`);
    }));

  control('resume', 'continue a paused backfill').action((opts: TargetOpts) =>
    withBackfill(opts, 'resume', async (h) => {
      await h.signal(resumeSignal);
      process.stdout.write(`resumed: ${h.workflowId}\n`);
    }));

  control('status', 'show progress: windows done/total, events, rate, ETA')
    .option('--json', 'print the progress as JSON')
    .action((opts: TargetOpts & { json?: boolean }) =>
      withBackfill(opts, 'status', async (h) => {
        const s = await backfillState(h);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ workflowId: h.workflowId, ...s }, null, 2)}\n`);
          return;
        }
        const text = s.state === 'closed' ? s.status.toLowerCase()
          : s.progress ? `${s.state}: ${progressLine(s.progress)}`
          : `running, ${(s.state === 'running' && s.note) || 'no progress yet'}`;
        process.stdout.write(`${h.workflowId}: ${text}\n`);
      }));

  control('cancel', 'cancel: running windows are cancelled, completed ones stay delivered, no new ones start').action((opts: TargetOpts) =>
    withBackfill(opts, 'cancel', async (h) => {
      await h.cancel();
      process.stdout.write(`cancel requested: ${h.workflowId}\n`);
    }));
}
