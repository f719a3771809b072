import { type FeedConfig, WINDOWED_SOURCES, formatDuration } from '@entra-ingest/config';
import { alignDown, countWindows } from '@entra-ingest/workflows';

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
  const windowMs = input.windowMs ?? feed.window;
  if (!(fromMs < toMs)) {
    problems.push(`--from ${input.from} must be before --to ${input.to}`);
    return problems;
  }
  const oldest = nowMs - feed.retentionDays * DAY_MS;
  // Windows are aligned to their size, so the first one may start before --from: that start is what Graph must still hold.
  const firstStart = alignDown(fromMs, windowMs);
  if (firstStart < oldest) {
    problems.push(
      `--from ${input.from} is too old: Graph keeps ${input.source} ${feed.retentionDays} days for feed "${feed.id}" ` +
        `(oldest readable now: ${new Date(oldest).toISOString()}${firstStart < fromMs ? `; the first ${formatDuration(windowMs)} window would start at ${new Date(firstStart).toISOString()}` : ''})`,
    );
  }
  const newest = nowMs - feed.lag;
  if (toMs > newest) {
    problems.push(`--to ${input.to} is not closed yet: it must be at least the feed's lag (${formatDuration(feed.lag)}) before now, i.e. at most ${new Date(newest).toISOString()}`);
  }
  if (!problems.length && countWindows(fromMs, toMs, windowMs) === 0) {
    problems.push(`the range ${input.from} → ${input.to} holds no whole ${formatDuration(windowMs)} window; widen it or use a smaller --window`);
  }
  return problems;
}

export function describeRange(r: { from: string; to: string; windowMs: number }): string {
  return `${r.from} → ${r.to} in ${countWindows(Date.parse(r.from), Date.parse(r.to), r.windowMs)} windows of ${formatDuration(r.windowMs)}`;
}
