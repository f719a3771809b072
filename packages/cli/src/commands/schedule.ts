import type { Command } from 'commander';
import { type ScheduleDescription } from '@temporalio/client';
import { SOURCES, chooseConfigFile, enabledSources, findFeed } from '@entra-ingest/config';
import { scheduleId } from '@entra-ingest/workflows';
import { loadConfigOption, configHelp } from '../config-option';
import { UsageError } from '../errors';
import { ensureCredentialWatch, ensureSchedules } from '../schedules';
import { connectTemporal } from '../temporal';

interface ScheduleOpts {
  config?: string;
  feed?: string;
  source?: string;
}

function sourcesOf(opts: ScheduleOpts, enabled: string[]): string[] {
  if (!opts.source) return enabled;
  if (!(SOURCES as readonly string[]).includes(opts.source)) throw new UsageError(`--source must be one of ${SOURCES.join(', ')}`);
  return [opts.source];
}

async function onEach(opts: ScheduleOpts, verb: string, act: (id: string, handle: ReturnType<Awaited<ReturnType<typeof connectTemporal>>['client']['schedule']['getHandle']>) => Promise<void>): Promise<void> {
  if (!opts.feed) throw new UsageError(`schedule ${verb} needs --feed`);
  const loaded = loadConfigOption(opts.config);
  const feed = findFeed(loaded.config, opts.feed);
  const t = await connectTemporal(loaded.config, loaded.baseDir);
  try {
    for (const source of sourcesOf(opts, enabledSources(feed))) {
      const id = scheduleId(feed.id, source);
      await act(id, t.client.schedule.getHandle(id));
      process.stdout.write(`${verb}: ${id}\n`);
    }
  } finally {
    await t.close();
  }
}

export function registerScheduleCommand(program: Command): void {
  const schedule = program.command('schedule').description('manage the Temporal Schedules of recurring ingestion (create, list, pause, unpause, trigger, delete)');
  const common = (c: Command) =>
    c.option('--config <file>', configHelp('feeds config')).option('--feed <id>', 'feed id').option('--source <source>', 'one source only');

  common(schedule.command('create').description('create or update one schedule per enabled source of a feed'))
    .option('--trigger', 'also run each schedule once now')
    .action(async (opts: ScheduleOpts & { trigger?: boolean }) => {
      if (!opts.feed) throw new UsageError('schedule create needs --feed');
      const loaded = loadConfigOption(opts.config);
      const feed = findFeed(loaded.config, opts.feed);
      const t = await connectTemporal(loaded.config, loaded.baseDir);
      try {
        for (const s of await ensureSchedules(t.client, feed, t.target.taskQueue, { triggerNow: opts.trigger })) {
          process.stdout.write(`${s.created ? 'created' : 'updated'}: ${s.scheduleId} every ${s.every}\n`);
        }
        const watch = await ensureCredentialWatch(t.client, feed, t.target.taskQueue);
        process.stdout.write(`${watch.started ? 'started' : 'already running'}: ${watch.workflowId} (credential expiry reminders)\n`);
      } finally {
        await t.close();
      }
    });

  schedule
    .command('list')
    .description('list entra-ingest schedules with their state and next run')
    .option('--config <file>', 'feeds config (for the Temporal address); optional')
    .action(async (opts: { config?: string }) => {
      const t = await connectTemporal(chooseConfigFile(opts.config) ? loadConfigOption(opts.config).config : undefined);
      try {
        for await (const s of t.client.schedule.list()) {
          if (!s.scheduleId.startsWith('entra-ingest/')) continue;
          const d: ScheduleDescription = await t.client.schedule.getHandle(s.scheduleId).describe();
          const next = d.info.nextActionTimes[0]?.toISOString() ?? '-';
          const last = d.info.recentActions.at(-1)?.takenAt.toISOString() ?? '-';
          process.stdout.write(`${s.scheduleId}\t${d.state.paused ? 'paused' : 'active'}\tlast ${last}\tnext ${next}\n`);
        }
      } finally {
        await t.close();
      }
    });

  common(schedule.command('pause').description("pause a feed's schedules"))
    .action((opts: ScheduleOpts) => onEach(opts, 'paused', (_id, h) => h.pause('paused with entra-ingest schedule pause')));
  common(schedule.command('unpause').description("resume a feed's paused schedules"))
    .action((opts: ScheduleOpts) => onEach(opts, 'unpaused', (_id, h) => h.unpause('unpaused with entra-ingest schedule unpause')));
  common(schedule.command('trigger').description("run a feed's schedules once now"))
    .action((opts: ScheduleOpts) => onEach(opts, 'triggered', (_id, h) => h.trigger()));
  common(schedule.command('delete').description("delete a feed's schedules (running windows finish)"))
    .action((opts: ScheduleOpts) => onEach(opts, 'deleted', (_id, h) => h.delete()));
}
