import type { Command } from 'commander';
import { createLogger, resolveDataDir, resolveSecret, type FeedConfig, type LoadedConfig } from '@entra-ingest/config';
import {
  createSink, deadLetterCause, deadLetterPrefix, readDeadLetters, sinkRefusalCause, DEAD_LETTER_PREFIX, type Sink, type StoredDeadLetter,
} from '@entra-ingest/sinks';
import type { BlobStore } from '@entra-ingest/store';
import { blobStoreFromConfig } from '@entra-ingest/worker';
import { loadConfigOption, configHelp } from '../config-option';
import { feedOption } from '../feed-option';
import { UsageError } from '../errors';
import { renderTable } from '../text-table';
import { resendDeadLetters } from '../dead-letter-resend';

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
    .option('--resend <sink>', 'send that sink again the events it refused (with --feed), once its cause is fixed; each letter goes once its event is taken')
    .action(async (opts: { config?: string; feed?: string; source?: string; show?: boolean; resend?: string }) => {
      const loaded = loadConfigOption(opts.config);
      if (opts.source && !opts.feed) throw new UsageError('dead-letters: --source needs --feed');
      if (opts.resend !== undefined && !opts.feed) throw new UsageError('dead-letters: --resend needs --feed');
      const feedConfig = opts.feed === undefined ? undefined : feedOption(loaded.config, opts.feed, 'dead-letters');
      const feed = feedConfig?.id;
      const prefix = feed === undefined ? DEAD_LETTER_PREFIX : deadLetterPrefix(feed, opts.source);
      const store = blobStoreFromConfig(loaded);
      try {
        const letters = await readDeadLetters(store.store, prefix);
        if (opts.resend !== undefined) {
          process.exitCode = await resend(loaded, feedConfig!, opts.resend, store.store, letters);
          return;
        }
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

/** `--resend`: 0 when every refused event was taken, 1 when some were refused again or could not be sent. */
async function resend(loaded: LoadedConfig, feed: FeedConfig, sinkId: string, store: BlobStore, letters: StoredDeadLetter[]): Promise<number> {
  const config = feed.sinks.find((s) => s.id === sinkId);
  if (!config) throw new UsageError(`dead-letters: feed "${feed.id}" has no sink "${sinkId}"; its sinks: ${feed.sinks.map((s) => s.id).join(', ')}`);
  const sink: Sink = createSink(config, {
    dataDir: resolveDataDir(loaded), baseDir: loaded.baseDir, resolveSecret: (ref) => resolveSecret(ref, loaded.baseDir), logger: createLogger(`sink.${sinkId}`),
  });
  try {
    const out = await resendDeadLetters(store, sink, letters);
    process.stdout.write(`sink ${sinkId}: ${out.resent} refused event${out.resent === 1 ? '' : 's'} sent again and taken (their letters removed); ` +
      `${out.refusedAgain} refused again (their letters stay)\n`);
    for (const u of out.unusable) process.stdout.write(`not sent: ${u.key}: ${u.why}\n`);
    if (out.resent + out.refusedAgain + out.unusable.length === 0) process.stdout.write(`no letters filed as "${sinkRefusalCause(sinkId)}"\n`);
    return out.refusedAgain + out.unusable.length > 0 ? 1 : 0;
  } finally {
    await sink.close();
  }
}
