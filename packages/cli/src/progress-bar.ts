import { SingleBar } from 'cli-progress';
import type { BackfillProgress } from '@entra-ingest/workflows';

/** 3725 → "1h02m", 95 → "1m35s", undefined → "?" (no window finished yet, so no rate to extrapolate from). */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Windows that are finished either way: read now, read before (skipped) or ended without completing. */
export function windowsFinished(p: BackfillProgress): number {
  return p.windowsDone + p.windowsSkipped + p.windowsFailed;
}

/** One line describing a backfill's progress, for logs, non-terminal output and `backfill status`. */
export function progressLine(p: BackfillProgress): string {
  const parts = [
    `${p.percent}%`,
    `windows ${windowsFinished(p)}/${p.windowsTotal}`,
    ...(p.windowsSkipped ? [`${p.windowsSkipped} already read`] : []),
    ...(p.windowsFailed ? [`${p.windowsFailed} FAILED`] : []),
    `${p.running} running`,
    `${p.eventsDelivered} events`,
    `${p.eventsPerSecond}/s`,
    `ETA ${formatEta(p.etaSeconds)}`,
  ];
  return `${parts.join(' | ')}${p.paused ? ' | PAUSED' : ''}`;
}

export interface ProgressView {
  /** `note`: why it is not moving, when known (e.g. waiting for the tenant's Graph budget). */
  update(p: BackfillProgress, note?: string): void;
  stop(): void;
}

/**
 * A bar on a terminal; elsewhere (CI logs, pipes) one line whenever the progress changed, at most every `lineEveryMs`,
 * so a 30-day backfill does not flood a log file.
 */
export function createProgressView(stream: NodeJS.WriteStream = process.stderr, lineEveryMs = 10_000): ProgressView {
  if (stream.isTTY) {
    const bar = new SingleBar({
      stream,
      format: '{bar} {percent}% | windows {finished}/{total} | {events} events | {rate}/s | ETA {etaText}{paused}{note}',
      barsize: 30,
      hideCursor: true,
      fps: 4,
    });
    let started = false;
    return {
      update(p, note) {
        const payload = { percent: p.percent, finished: windowsFinished(p), events: p.eventsDelivered, rate: p.eventsPerSecond, etaText: formatEta(p.etaSeconds), paused: p.paused ? ' | PAUSED (entra-ingest backfill resume …)' : '', note: note && !p.paused ? ` | ${note}` : '' };
        if (!started) {
          bar.start(p.windowsTotal, windowsFinished(p), payload);
          started = true;
        } else {
          bar.setTotal(p.windowsTotal);
          bar.update(windowsFinished(p), payload);
        }
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let last = '';
  let lastAt = 0;
  return {
    update(p, note) {
      const line = note && !p.paused ? `${progressLine(p)} | ${note}` : progressLine(p);
      const now = Date.now();
      const stateChanged = last === '' || line.includes('PAUSED') !== last.includes('PAUSED') || p.percent >= 100;
      if (line === last || (!stateChanged && now - lastAt < lineEveryMs)) return;
      last = line;
      lastAt = now;
      stream.write(`backfill ${line}\n`);
    },
    stop() {},
  };
}
