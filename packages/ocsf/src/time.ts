/**
 * Graph timestamps carry 7 fractional digits ("2018-01-09T21:20:02.7215374Z"); OCSF wants integer milliseconds.
 * We parse by hand so the fraction is cut to milliseconds, never rounded (a 23:59:59.9999999 event must stay in its
 * day and its ingestion window), and so odd inputs are rejected instead of guessed at.
 */
function digits(s: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

const DASH = 45;
const COLON = 58;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** RFC 3339 date-time → ms since the epoch (fraction truncated), or undefined when it is not one. */
export function parseGraphTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length < 19 || value.length > 64) return undefined;
  const s = value;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const sep = s.charCodeAt(10);
  if (s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH || s.charCodeAt(13) !== COLON || s.charCodeAt(16) !== COLON) return undefined;
  if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32) return undefined;
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1] || hour < 0 || hour > 23) {
    return undefined;
  }
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  let i = 19;
  let millis = 0;
  if (s.charCodeAt(i) === 46 /* . */) {
    i++;
    const fracStart = i;
    while (i < s.length) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (i - fracStart < 3) millis = millis * 10 + c;
      i++;
    }
    const fracLength = i - fracStart;
    if (fracLength === 0) return undefined;
    if (fracLength === 1) millis *= 100;
    else if (fracLength === 2) millis *= 10;
  }
  let offsetMinutes = 0;
  const zone = s.charCodeAt(i);
  if (zone === 90 /* Z */ || zone === 122 /* z */) {
    i++;
  } else if (zone === 43 /* + */ || zone === DASH) {
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59 || s.charCodeAt(i + 3) !== COLON) return undefined;
    offsetMinutes = (oh * 60 + om) * (zone === 43 ? 1 : -1);
    i += 6;
  } else {
    return undefined; // no zone: the instant would depend on the machine's time zone
  }
  if (i !== s.length) return undefined;
  // Years 0-99 are not real audit times (and Date.UTC would read them as 1900-1999). DAYS_IN_MONTH allows Feb 29,
  // so only that day needs the leap-year rule (proleptic Gregorian, as Date uses).
  if (year < 100) return undefined;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return undefined;
  // Integer arithmetic instead of Date.UTC + new Date (hot path: one call per record); exact, as years are 100-9999.
  return daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis -
    offsetMinutes * 60_000;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * The UTC offset, in minutes, an RFC 3339 date-time was written in ("Z" → 0, "+05:30" → 330): OCSF's
 * timezone_offset. Undefined when the text ends in neither (parseGraphTime has rejected such text already).
 */
export function timezoneOffsetOf(value: string): number | undefined {
  const last = value.charCodeAt(value.length - 1);
  if (last === 90 /* Z */ || last === 122 /* z */) return 0;
  const sign = value.charCodeAt(value.length - 6);
  if ((sign !== 43 /* + */ && sign !== 45 /* - */) || value.charCodeAt(value.length - 3) !== COLON) return undefined;
  const hours = digits(value, value.length - 5, 2);
  const minutes = digits(value, value.length - 2, 2);
  if (hours < 0 || minutes < 0) return undefined;
  const offset = hours * 60 + minutes;
  return sign === 45 ? -offset : offset;
}
