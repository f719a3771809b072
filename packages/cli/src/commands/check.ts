import type { Command } from 'commander';
import { checkProblems, checkTable } from '../check-table';
import { loadConfigOption, configHelp } from '../config-option';
import { CommandFailure } from '../errors';
import { feedOption } from '../feed-option';
import { runFeedCheck } from '../feed-check';

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('onboarding check of a feed: token, each source, licence, clock, credential expiry; exit 0 only if every source can be ingested')
    .option('--config <file>', configHelp())
    .option('--feed <id>', 'feed id')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { config?: string; feed?: string; json?: boolean }) => {
      const loaded = loadConfigOption(opts.config);
      const feed = feedOption(loaded.config, opts.feed, 'check');
      const report = await runFeedCheck(loaded, feed.id);
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : checkTable(report, Date.now()));
      if (!report.ok) {
        const problems = checkProblems(report);
        throw new CommandFailure(`feed ${feed.id} cannot be ingested: ${problems} problem${problems === 1 ? '' : 's'} above`);
      }
    });
}
