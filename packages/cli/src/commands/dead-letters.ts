import type { Command } from 'commander';
import { deadLetterCause, deadLetterPrefix, readDeadLetters, DEAD_LETTER_PREFIX, type StoredDeadLetter } from '@entra-ingest/sinks';
import { blobStoreFromConfig } from '@entra-ingest/worker';
import { loadConfigOption, configHelp } from '../config-option';
import { feedOption } from '../feed-option';
import { UsageError } from '../errors';
import { renderTable } from '../text-table';

/** One row per feed, source and cause: how many letters, and the first and last time one was written. */
export function deadLetterSummary(letters: StoredDeadLetter[]): string[][] {
  const rows = new Map<string, { feed: string; source: string; cause: string; count: number; first: string; last: string }>();
  for (const l of letters) {
    const cause = deadLetterCause(l.reason);
    const id = JSON.stringify([l.feed, l.source, cause]);
    const row = rows.get(id) ?? { feed: l.feed, source: l.source, cause, count: 0, first: l.writtenAt, last: l.writtenAt };
    row.count++;
    if (l.writtenAt < row.first) row.first = l.writtenAt;
    if (l.writtenAt > row.last) row.last = l.writtenAt;
    rows.set(id, row);
  }
  return [...rows.values()]
    .sort((a, b) => a.feed.localeCompare(b.feed) || a.source.localeCompare(b.source) || a.cause.localeCompare(b.cause))
    .map((r) => [r.feed, r.source, String(r.count), r.first, r.last, r.cause]);
}

export function registerDeadLettersCommand(program: Command): void {
  program
    .command('dead-letters')
    .description('lists the dead letters in the configured store (file or S3): records that could not be mapped or that a sink refused for good')
    .option('--config <file>', configHelp())
    .option('--feed <id>', 'only this feed')
    .option('--source <name>', 'only this source (with --feed)')
    .option('--show', 'print every letter (reason, record id, window, payload) as NDJSON instead of the summary')
    .action(async (opts: { config?: string; feed?: string; source?: string; show?: boolean }) => {
      const loaded = loadConfigOption(opts.config);
      if (opts.source && !opts.feed) throw new UsageError('dead-letters: --source needs --feed');
      const feed = opts.feed === undefined ? undefined : feedOption(loaded.config, opts.feed, 'dead-letters').id;
      const prefix = feed === undefined ? DEAD_LETTER_PREFIX : deadLetterPrefix(feed, opts.source);
      const store = blobStoreFromConfig(loaded);
      try {
        const letters = await readDeadLetters(store.store, prefix);
        if (opts.show) {
          for (const l of letters) process.stdout.write(`${JSON.stringify(l)}\n`);
          return;
        }
        if (!letters.length) {
          process.stdout.write(`no dead letters under ${prefix}/ in ${store.describe}\n`);
          return;
        }
        process.stdout.write(renderTable(['FEED', 'SOURCE', 'LETTERS', 'FIRST', 'LAST', 'CAUSE'], deadLetterSummary(letters)));
        process.stdout.write(`${letters.length} dead letter${letters.length === 1 ? '' : 's'} under ${prefix}/ in ${store.describe}; --show prints them\n`);
      } finally {
        store.close();
      }
    });
}
