/**
 * Graph writes times with seven fractional digits (100 ns ticks). Records carry ticks since 2020-01-01 so
 * filters compare exactly at that precision while staying within safe integers until the 2040s.
 */
export const TICKS_PER_MS = 10_000;
const EPOCH_MS = Date.UTC(2020, 0, 1);

export function msToTicks(ms: number): number {
  return (ms - EPOCH_MS) * TICKS_PER_MS;
}

export function ticksToMs(ticks: number): number {
  return Math.floor(ticks / TICKS_PER_MS) + EPOCH_MS;
}

/** `2024-05-01T10:20:30.1234567Z` */
export function ticksToIso(ticks: number): string {
  const ms = Math.floor(ticks / TICKS_PER_MS);
  const rest = ticks - ms * TICKS_PER_MS;
  const iso = new Date(ms + EPOCH_MS).toISOString(); // ...ss.mmmZ
  return `${iso.slice(0, 23)}${String(rest).padStart(4, '0')}Z`;
}

const ISO_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})?$/;

/** Parses an ISO 8601 date-time (up to 7 fractional digits) into ticks; undefined when not a date-time. */
export function isoToTicks(text: string): number | undefined {
  const m = ISO_RE.exec(text);
  if (!m) return undefined;
  const base = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  if (Number.isNaN(base)) return undefined;
  const frac = (m[2] ?? '').padEnd(7, '0');
  return msToTicks(base) + Number(frac);
}

/** `2021-09-02T17:15:30` as Graph writes innerError.date. */
export function graphErrorDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** `2016-01-09 02:02:12Z` as Entra writes token error timestamps. */
export function entraTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + 'Z';
}
