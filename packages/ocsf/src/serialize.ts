import type { OcsfEvent } from './types';

/**
 * One event as one line of JSON. The mappers build every object in a fixed key order and copy source values
 * as-is, so JSON.stringify alone gives the same bytes for the same record (no sorting pass: it is the hot path).
 */
export function serializeEvent(e: OcsfEvent): string {
  return JSON.stringify(e);
}
