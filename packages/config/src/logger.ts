/**
 * Structured logging on stderr — JSON lines for machines (the default), or short text lines for a person watching a
 * terminal (`format: 'text'`, what `entra-ingest dev` uses) — with secret hygiene built in: values under secret-looking keys are
 * replaced, and bearer tokens, JWTs and `client_secret=` / `client_assertion=` in any string are masked, so a
 * careless log call cannot leak a credential.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(component: string): Logger;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /(secret|password|passwd|token|authorization|assertion|private_?key|api_?key|cookie)/i;
const MASKS: [RegExp, string][] = [
  [/(bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, '$1[REDACTED]'],
  [/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[REDACTED-JWT]'],
  [/((?:client_secret|client_assertion|access_token|refresh_token|code|password)=)[^&\s"]+/gi, '$1[REDACTED]'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[REDACTED-PRIVATE-KEY]'],
];

export function maskSecrets(text: string): string {
  let out = text;
  for (const [re, replacement] of MASKS) out = out.replace(re, replacement);
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskSecrets(value);
  if (value instanceof Error) return { name: value.name, message: maskSecrets(value.message) };
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && typeof v !== 'boolean' && typeof v !== 'number' ? '[REDACTED]' : redact(v, depth + 1);
  }
  return out;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stderr by default so stdout stays clean for NDJSON output. */
  write?: (line: string) => void;
  /** json (default, or $ENTRA_INGEST_LOG_FORMAT) or text. */
  format?: LogFormat;
}

function envFormat(): LogFormat {
  const f = (process.env.ENTRA_INGEST_LOG_FORMAT ?? 'json').toLowerCase();
  return (LOG_FORMATS as readonly string[]).includes(f) ? (f as LogFormat) : 'json';
}

const TEXT_VALUE_MAX = 120;

function textValue(v: unknown): string {
  const s = typeof v === 'string' ? (/^[^\s"=]+$/.test(v) ? v : JSON.stringify(v)) : JSON.stringify(v) ?? String(v);
  return s.length > TEXT_VALUE_MAX ? `${s.slice(0, TEXT_VALUE_MAX - 1)}…` : s;
}

/**
 * "10:42:07 info  worker: worker ready taskQueue=entra-ingest feeds=["demo"]": local time, level, component, the
 * message's first line (a multi-line message says how many lines it left out), then the fields, each value cut short.
 */
export function textLine(record: { time: Date; level: LogLevel; component: string; msg: string; fields?: LogFields }): string {
  const t = record.time;
  const clock = [t.getHours(), t.getMinutes(), t.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  const [first, ...rest] = record.msg.split('\n');
  const more = rest.length ? ` (+${rest.length} lines)` : '';
  const fields = Object.entries(record.fields ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}=${textValue(v)}`).join('');
  return `${clock} ${record.level.padEnd(5)} ${record.component}: ${first}${more}${fields}\n`;
}

function envLevel(): LogLevel {
  const l = (process.env.ENTRA_INGEST_LOG_LEVEL ?? 'info').toLowerCase();
  return (l in LEVELS ? l : 'info') as LogLevel;
}

export function createLogger(component: string, opts: LoggerOptions = {}): Logger {
  const min = LEVELS[opts.level ?? envLevel()];
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  const format = opts.format ?? envFormat();
  const emit = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (LEVELS[level] < min) return;
    const safeFields = fields ? (redact(fields) as LogFields) : undefined;
    if (format === 'text') {
      write(textLine({ time: new Date(), level, component, msg: maskSecrets(msg), fields: safeFields }));
      return;
    }
    const record = { time: new Date().toISOString(), level, component, msg: maskSecrets(msg), ...safeFields };
    write(`${JSON.stringify(record)}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (sub) => createLogger(`${component}.${sub}`, { ...opts, format }),
  };
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
