import { SOURCE_SPECS, isLogSource } from '@entra-ingest/sources';
import { asObject, str } from './read';
import { parseGraphTime } from './time';
import type { EntraSource } from './types';

/**
 * The key a record is delivered once under: its Graph id, and for records that change after first seen (risk
 * state) the id with the last-update time it carries (`id@time`), so each version is its own record. Never throws:
 * anything unusable is undefined, and the pipeline dead-letters the record.
 */
export function recordId(source: EntraSource, record: unknown): string | undefined {
  const r = asObject(record);
  const id = r ? str(r.id) : undefined;
  if (id === undefined || !isLogSource(source) || !SOURCE_SPECS[source].changing) return id;
  const version = str(r![SOURCE_SPECS[source].timeField]);
  return version !== undefined && parseGraphTime(version) !== undefined ? `${id}@${version}` : undefined;
}

/**
 * The record's own time (ms, fraction truncated) in its source's time field, which owns it to a time window.
 * Inventories have no event time (a snapshot, not windowed): undefined. Never throws.
 */
export function recordTime(source: EntraSource, record: unknown): number | undefined {
  const r = asObject(record);
  if (!r || !isLogSource(source)) return undefined;
  return parseGraphTime(r[SOURCE_SPECS[source].timeField]);
}
