import { type FeedConfig, WINDOWED_SOURCES, formatDuration } from '@entra-ingest/config';
import { DEFAULT_SPLIT, windowsCovering } from '@entra-ingest/workflows';

const DAY_MS = 86_400_000;

/**
 * Checks a backfill range against what Graph can still return before anything is started, so a typo fails fast with
 * a message saying what is wrong (the workflow checks again, but only after a worker picked it up).
 * Returns the problems; an empty list means the range can be read.
 */
export function backfillRangeProblems(
  feed: Pick<FeedConfig, 'id' | 'retentionDays' | 'lag' | 'window'>,
  input: { source: string; from: string; to: string; windowMs?: number },
  nowMs: number,
): string[] {
  const problems: string[] = [];
  if (!(WINDOWED_SOURCES as readonly string[]).includes(input.source)) {
    problems.push(`--source must be one of ${WINDOWED_SOURCES.join(', ')} (users are synchronised, not backfilled), got "${input.source}"`);
  }
  const fromMs = Date.parse(input.from);
  const toMs = Date.parse(input.to);
  if (Number.isNaN(fromMs)) problems.push(`--from is not an ISO 8601 date-time: "${input.from}"`);
  if (Number.isNaN(toMs)) problems.push(`--to is not an ISO 8601 date-time: "${input.to}"`);
  if (problems.length) return problems;
  if (!(fromMs < toMs)) {
    problems.push(`--from ${input.from} must be before --to ${input.to}`);
    return problems;
  }
  const oldest = nowMs - feed.retentionDays * DAY_MS;
  // The first window starts at --from exactly: that is what Graph must still hold.
  if (fromMs < oldest) {
    problems.push(
      `--from ${input.from} is too old: Graph keeps ${input.source} ${feed.retentionDays} days for feed "${feed.id}" ` +
        `(oldest readable now: ${new Date(oldest).toISOString()})`,
    );
  }
  const newest = nowMs - feed.lag;
  if (toMs > newest) {
    problems.push(`--to ${input.to} is not closed yet: it must be at least the feed's lag (${formatDuration(feed.lag)}) before now, i.e. at most ${new Date(newest).toISOString()}`);
  }
  return problems;
}

/**
 * What a backfill covers, said exactly: [from, to) to the millisecond, how it starts out and that windows split by
 * volume (so the number of windows, and of Graph requests, follows the records, not the range).
 */
export function describeRange(r: { from: string; to: string; windowMs?: number }): string {
  const fromMs = Date.parse(r.from);
  const toMs = Date.parse(r.to);
  const start = new Date(fromMs).toISOString();
  const end = new Date(toMs).toISOString();
  const windows = windowsCovering(fromMs, toMs, r.windowMs);
  const shape = r.windowMs === undefined
    ? 'as one window'
    : windows.length === 1 ? 'as 1 window' : `as ${windows.length} windows of up to ${formatDuration(r.windowMs)}`;
  return `[${start}, ${end}) — ${spanText(toMs - fromMs)}, every record from the first instant up to (not including) the last — ` +
    `${shape}, each split by volume into pieces of about ${DEFAULT_SPLIT.maxPages} Graph pages (1,000 records a page)`;
}

/** 2_426_000 → "40m 26s": a range's length in its own units, nothing rounded away. */
export function spanText(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(' ') || '0ms';
}
