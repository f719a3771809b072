import { asObject, str } from './read';
import { parseGraphTime } from './time';
import type { EntraSource } from './types';

/**
 * The Graph id of a record, used to de-duplicate across overlapping windows. Never throws: anything unusable is
 * undefined, and the pipeline dead-letters the record.
 */
export function recordId(_source: EntraSource, record: unknown): string | undefined {
  const r = asObject(record);
  return r ? str(r.id) : undefined;
}

/**
 * When the record happened (ms, fraction truncated), which owns it to a time window. Users have no event time
 * (inventory is a snapshot, not windowed): undefined. Never throws.
 */
export function recordTime(source: EntraSource, record: unknown): number | undefined {
  const r = asObject(record);
  if (!r) return undefined;
  switch (source) {
    case 'directoryAudits':
      return parseGraphTime(r.activityDateTime);
    case 'signIns':
      return parseGraphTime(r.createdDateTime);
    default:
      return undefined;
  }
}
