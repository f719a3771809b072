import { mapDirectoryAudit } from './directory-audit';
import { MappingError } from './errors';
import { observablesOf } from './observables';
import { mapSignIn } from './sign-in';
import { timezoneOffsetOf } from './time';
import type { EntraSource, MapContext, OcsfEvent } from './types';
import { mapUser } from './user';

/**
 * One Graph record → one OCSF 1.8.0 event. Pure and deterministic (users: given ctx.observedTime). Throws
 * MappingError, saying what and where, for a record no event can be made of; any other input never throws.
 */
export function mapRecord(source: EntraSource, record: unknown, ctx?: MapContext): OcsfEvent {
  let e: OcsfEvent;
  switch (source) {
    case 'directoryAudits':
      e = mapDirectoryAudit(record, ctx);
      break;
    case 'signIns':
      e = mapSignIn(record, ctx);
      break;
    case 'users':
      e = mapUser(record, ctx);
      break;
    default:
      throw new MappingError(`unknown source "${String(source)}" (expected directoryAudits, signIns or users)`);
  }
  // Attributes every class recommends, read off the finished event so every mapper gets them the same way.
  const original = e.metadata.original_time;
  const offset = original !== undefined ? timezoneOffsetOf(original) : undefined;
  if (offset !== undefined) e.timezone_offset = offset;
  if (e.observables === undefined) {
    // A mapper that lists its own observables knows better; the rest get the common list's.
    const observables = observablesOf(e);
    if (observables) e.observables = observables;
  }
  if (ctx?.includeRawData) e.raw_data = JSON.stringify(record);
  return e;
}
