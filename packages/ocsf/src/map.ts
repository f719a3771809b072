import { mapDirectoryAudit } from './directory-audit';
import { MappingError } from './errors';
import { mapSignIn } from './sign-in';
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
  if (ctx?.includeRawData) e.raw_data = JSON.stringify(record);
  return e;
}
