import { isSourceName, SOURCE_NAMES } from '@entra-ingest/sources';
import { mapDevice } from './device';
import { mapDirectoryAudit } from './directory-audit';
import { MappingError } from './errors';
import { observablesOf } from './observables';
import { mapProvisioning } from './provisioning';
import { mapRiskDetection, mapRiskyServicePrincipal, mapRiskyUser, mapServicePrincipalRiskDetection } from './risk';
import { mapSignIn } from './sign-in';
import { timezoneOffsetOf } from './time';
import type { EntraSource, MapContext, OcsfEvent } from './types';
import { mapUser } from './user';

export type Mapper = (record: unknown, ctx: MapContext | undefined) => OcsfEvent;

/** One mapper per source of the registry: a source without one is a compile error. */
export const MAPPERS: { readonly [S in EntraSource]: Mapper } = {
  directoryAudits: mapDirectoryAudit,
  signIns: mapSignIn,
  provisioning: mapProvisioning,
  riskDetections: mapRiskDetection,
  servicePrincipalRiskDetections: mapServicePrincipalRiskDetection,
  riskyUsers: mapRiskyUser,
  riskyServicePrincipals: mapRiskyServicePrincipal,
  users: mapUser,
  devices: mapDevice,
};

/**
 * One Graph record → one OCSF 1.8.0 event. Pure and deterministic (inventories: given ctx.observedTime). Throws
 * MappingError, saying what and where, for a record no event can be made of; any other input never throws.
 */
export function mapRecord(source: EntraSource, record: unknown, ctx?: MapContext): OcsfEvent {
  if (!isSourceName(source)) throw new MappingError(`unknown source "${String(source)}" (expected one of ${SOURCE_NAMES.join(', ')})`);
  const e = MAPPERS[source](record, ctx);
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
