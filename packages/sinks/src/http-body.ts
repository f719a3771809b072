import type { HttpSinkConfig } from '@entra-ingest/config';

export interface EncodedBody {
  body: string;
  contentType: string;
}

export interface SplunkContext {
  /** Used when an event has no numeric OCSF `time`. */
  fallbackTimeMs: number;
  /** HEC `source` when the config sets none. */
  defaultSource: string;
}

/** HEC wants epoch seconds; OCSF `time` is epoch milliseconds. */
function eventTimeSeconds(event: string, fallbackMs: number): number {
  let time: unknown;
  try {
    time = (JSON.parse(event) as { time?: unknown }).time;
  } catch {
    time = undefined;
  }
  const ms = typeof time === 'number' && Number.isFinite(time) ? time : fallbackMs;
  return ms / 1000;
}

/**
 * One HEC envelope per event, concatenated (HEC reads a stream of JSON objects). The event text is embedded as is:
 * it already is JSON, and re-serialising would cost time and could change bytes.
 */
function splunkHecBody(events: string[], splunk: HttpSinkConfig['splunk'], ctx: SplunkContext): string {
  const source = JSON.stringify(splunk?.source ?? ctx.defaultSource);
  const sourcetype = JSON.stringify(splunk?.sourcetype ?? 'ocsf');
  const index = splunk?.index === undefined ? '' : `,"index":${JSON.stringify(splunk.index)}`;
  return events
    .map((e) => `{"time":${eventTimeSeconds(e, ctx.fallbackTimeMs)},"source":${source},"sourcetype":${sourcetype}${index},"event":${e}}`)
    .join('\n');
}

export function encodeBody(config: Pick<HttpSinkConfig, 'format' | 'splunk'>, events: string[], splunk: SplunkContext): EncodedBody {
  switch (config.format) {
    case 'ndjson':
      return { body: `${events.join('\n')}\n`, contentType: 'application/x-ndjson' };
    case 'json-array':
      return { body: `[${events.join(',')}]`, contentType: 'application/json' };
    case 'splunk-hec':
      return { body: splunkHecBody(events, config.splunk, splunk), contentType: 'application/json' };
    default: {
      const unknown: never = config.format;
      throw new Error(`http sink: unknown format ${JSON.stringify(unknown)}`);
    }
  }
}
