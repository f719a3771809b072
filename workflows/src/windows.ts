// Pure time-window arithmetic shared by workflows, the worker and the CLI (deterministic: no clock, no I/O).

export interface TimeWindow {
  start: string; // ISO, inclusive
  end: string; // ISO, exclusive: a record belongs to the window whose [start, end) holds its time
}

/** 2026-11-01T12:00:00.000Z → 20261101T120000Z: readable in workflow ids, safe in file names. */
export function compactTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`not a date-time: "${iso}"`);
  const s = d.toISOString();
  const ms = s.slice(20, 23);
  return `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}T${s.slice(11, 13)}${s.slice(14, 16)}${s.slice(17, 19)}${ms === '000' ? '' : `.${ms}`}Z`;
}

export function alignDown(ms: number, sizeMs: number): number {
  return Math.floor(ms / sizeMs) * sizeMs;
}

/**
 * Windows of `sizeMs` aligned to the epoch covering [fromMs, toMs): the first starts at or before fromMs, the
 * last ends at or before toMs (a window that is not closed yet is not returned). Alignment keeps window ids the
 * same whoever computes them (schedule or backfill), which is what makes their runs collide instead of overlap.
 */
export function windowsBetween(fromMs: number, toMs: number, sizeMs: number, max = Number.POSITIVE_INFINITY): TimeWindow[] {
  if (!(sizeMs > 0)) throw new Error(`window size must be positive, got ${sizeMs}`);
  const out: TimeWindow[] = [];
  for (let s = alignDown(fromMs, sizeMs); s + sizeMs <= toMs && out.length < max; s += sizeMs) {
    out.push({ start: new Date(s).toISOString(), end: new Date(s + sizeMs).toISOString() });
  }
  return out;
}

export function countWindows(fromMs: number, toMs: number, sizeMs: number): number {
  const first = alignDown(fromMs, sizeMs);
  return toMs <= first ? 0 : Math.floor((toMs - first) / sizeMs);
}

/**
 * Pieces of at most `sizeMs` covering [fromMs, toMs) exactly: inner boundaries on multiples of `sizeMs`, the first
 * piece starting at fromMs and the last ending at toMs, so an unaligned --from or --to is read, not rounded away.
 * Without a size the range is one piece.
 */
export function windowsCovering(fromMs: number, toMs: number, sizeMs?: number): TimeWindow[] {
  if (!(fromMs < toMs)) return [];
  if (sizeMs === undefined) return [{ start: new Date(fromMs).toISOString(), end: new Date(toMs).toISOString() }];
  if (!(sizeMs > 0)) throw new Error(`window size must be positive, got ${sizeMs}`);
  const out: TimeWindow[] = [];
  for (let s = fromMs; s < toMs;) {
    const e = Math.min(toMs, alignDown(s, sizeMs) + sizeMs);
    out.push({ start: new Date(s).toISOString(), end: new Date(e).toISOString() });
    s = e;
  }
  return out;
}
