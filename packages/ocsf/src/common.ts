import { SOURCE_SPECS } from '@entra-ingest/sources';
import { CLASS_INFO, type OcsfClassUid } from './classes';
import { asObject, ipAddress, str, type Json } from './read';
import type { EntraSource, MapContext, OcsfActor, OcsfEvent, OcsfMetadata, OcsfUser } from './types';

export const OCSF_VERSION = '1.8.0';
const VENDOR = 'Microsoft';
const PRODUCT = 'Microsoft Entra ID';

export const SEVERITY_CAPTIONS: Record<number, string> = {
  0: 'Unknown', 1: 'Informational', 2: 'Low', 3: 'Medium', 4: 'High', 5: 'Critical', 6: 'Fatal', 99: 'Other',
};

/**
 * Text made of parts, as one flat string. `+` and template literals make a rope (a V8 ConsString) once the result
 * has 13 or more characters, and JSON.stringify's fast path (V8 13.8+, Node 25+) serializes an object only while
 * every string in it is flat: a single rope in an event sends the whole event down the slow path (~40 % more time
 * on Node 26). Array#join builds the flat string directly, on every Node.
 */
export function joinText(...parts: string[]): string {
  return parts.join('');
}

/** type_uid → its caption, built once (flat: see joinText), so no event builds it. */
const TYPE_NAMES = new Map<number, string>();
for (const [uid, info] of Object.entries(CLASS_INFO)) {
  for (const [id, caption] of Object.entries(info.activities)) TYPE_NAMES.set(Number(uid) * 100 + Number(id), joinText(info.caption, ': ', caption));
}

/**
 * metadata.product per source, shared by every event of the source (frozen: one object instead of three per event;
 * the serialized bytes are the same).
 */
const PRODUCTS = new Map<string, OcsfMetadata['product']>(
  Object.entries(SOURCE_SPECS).map(([source, spec]) => [
    source,
    Object.freeze({ name: PRODUCT, vendor_name: VENDOR, feature: Object.freeze({ name: spec.title }) }),
  ]),
);

/** The attributes every event starts with, in the fixed key order every event is serialized in. */
export function envelope(
  classUid: OcsfClassUid,
  activityId: number,
  activityName: string,
  severityId: number,
  time: number,
): OcsfEvent {
  const info = CLASS_INFO[classUid];
  return {
    activity_id: activityId,
    activity_name: activityName,
    category_uid: info.categoryUid,
    category_name: info.categoryName,
    class_uid: classUid,
    class_name: info.caption,
    type_uid: classUid * 100 + activityId,
    // The caption of type_uid: "<Class>: Other" for activity 99, whose own name stays in activity_name.
    type_name: TYPE_NAMES.get(classUid * 100 + activityId) ?? joinText(info.caption, ': ', String(info.activities[activityId])),
    severity_id: severityId,
    severity: SEVERITY_CAPTIONS[severityId],
    time,
    metadata: undefined as unknown as OcsfMetadata, // set by metadata(); keeps the key's position
  };
}

export function metadata(
  source: EntraSource,
  ctx: MapContext | undefined,
  uid: string | undefined,
  correlationUid: string | undefined,
  originalTime: string | undefined,
  profiles: string[],
): OcsfMetadata {
  const m: OcsfMetadata = {
    version: OCSF_VERSION,
    product: PRODUCTS.get(source) ?? { name: PRODUCT, vendor_name: VENDOR, feature: { name: SOURCE_SPECS[source].title } },
    profiles,
    log_name: ctx?.logName ?? source,
    log_provider: 'Microsoft Graph',
  };
  if (uid !== undefined) m.uid = uid;
  if (correlationUid !== undefined) m.correlation_uid = correlationUid;
  if (ctx?.tenantId) m.tenant_uid = ctx.tenantId;
  if (originalTime !== undefined) m.original_time = originalTime;
  return m;
}

type Cloud = { provider: string; org?: { uid: string } };
const NO_TENANT_CLOUD: Cloud = Object.freeze({ provider: 'Azure' });
let lastCloud: Cloud = NO_TENANT_CLOUD;

/**
 * The cloud profile's object: Azure, with the tenant as the organization when known. Frozen and shared by the
 * events of one tenant (a worker maps page after page of the same tenant): two objects fewer per event.
 */
export function cloud(ctx: MapContext | undefined): Cloud {
  const tenantId = ctx?.tenantId;
  if (!tenantId) return NO_TENANT_CLOUD;
  if (lastCloud.org?.uid !== tenantId) lastCloud = Object.freeze({ provider: 'Azure', org: Object.freeze({ uid: tenantId }) });
  return lastCloud;
}

/**
 * Graph's audit `result`: success 1, failure 2, timeout Other (99) keeping the word; anything else Unknown (its
 * word stays in `unmapped.result`). `status_code` is Graph's own word, the event source's status as OCSF defines it.
 */
export function applyAuditResult(e: OcsfEvent, result: unknown): void {
  if (typeof result === 'string' && result) e.status_code = result;
  switch (result) {
    case 'success':
      e.status_id = 1;
      e.status = 'Success';
      break;
    case 'failure':
      e.status_id = 2;
      e.status = 'Failure';
      break;
    case 'timeout':
      e.status_id = 99;
      e.status = 'Timeout';
      break;
    default:
      e.status_id = 0;
      e.status = 'Unknown';
  }
}

/**
 * OCSF user types the mappers write, with their 1.8.0 captions. Graph's finer words (userType "Member"/"Guest", a
 * managed identity) have no OCSF id of their own: they stay in `unmapped` beside the event.
 */
export const USER_TYPE = { id: 1, caption: 'User' } as const;
export const SERVICE_USER_TYPE = { id: 4, caption: 'Service' } as const; // a service principal or managed identity
export const SERVICE_PRINCIPAL_USER_TYPE_ID = SERVICE_USER_TYPE.id;

// userType is not among them: it has no OCSF home and goes to unmapped.initiatedBy.user.
const INITIATOR_USER_KEYS = new Set(['id', 'displayName', 'userPrincipalName', 'ipAddress']);
const INITIATOR_APP_KEYS = new Set(['appId', 'displayName', 'servicePrincipalId', 'servicePrincipalName']);

export interface Initiator {
  actor?: OcsfActor;
  ip?: string;
  /** Source fields of initiatedBy with no OCSF home (homeTenantId, an IP too long to be one, …). */
  unmapped?: Json;
}

/**
 * `initiatedBy` → actor. A user: uid, name = UPN, type. An app: app_name, app_uid, and its service principal as
 * actor.user (type Service) because that is the directory object that acted.
 */
export function initiator(initiatedBy: unknown): Initiator {
  const by = asObject(initiatedBy);
  if (!by) return {};
  const out: Initiator = {};
  const actor: OcsfActor = {};
  const u = asObject(by.user);
  const app = asObject(by.app);
  let unmapped: Json | undefined;
  if (u) {
    const user: OcsfUser = {};
    const uid = str(u.id);
    const name = str(u.userPrincipalName);
    const displayName = str(u.displayName);
    if (uid !== undefined) user.uid = uid;
    if (name !== undefined) user.name = name;
    if (displayName !== undefined) user.display_name = displayName;
    user.type_id = USER_TYPE.id;
    user.type = USER_TYPE.caption;
    if (uid !== undefined || name !== undefined || displayName !== undefined) actor.user = user;
    out.ip = ipAddress(u.ipAddress);
    if (out.ip === undefined && str(u.ipAddress) !== undefined) (unmapped ??= {}).ipAddress = u.ipAddress;
    const extra = extraFields(u, INITIATOR_USER_KEYS);
    if (extra) (unmapped ??= {}).user = extra;
  }
  if (app) {
    const appName = str(app.displayName);
    const appUid = str(app.appId);
    if (appName !== undefined) actor.app_name = appName;
    if (appUid !== undefined) actor.app_uid = appUid;
    const spId = str(app.servicePrincipalId);
    const spName = str(app.servicePrincipalName);
    if (!actor.user && (spId !== undefined || spName !== undefined)) {
      const sp: OcsfUser = {};
      if (spId !== undefined) sp.uid = spId;
      if (spName !== undefined) sp.name = spName;
      sp.type_id = SERVICE_USER_TYPE.id;
      sp.type = SERVICE_USER_TYPE.caption;
      actor.user = sp;
    }
    const extra = extraFields(app, INITIATOR_APP_KEYS);
    if (extra) (unmapped ??= {}).app = extra;
  }
  if (actor.user || actor.app_name !== undefined || actor.app_uid !== undefined) out.actor = actor;
  if (unmapped) out.unmapped = unmapped;
  return out;
}

/** The non-null fields of `o` outside `known`, or undefined when there are none. */
function extraFields(o: Json, known: ReadonlySet<string>): Json | undefined {
  let out: Json | undefined;
  for (const key in o) {
    const v = o[key];
    if (!known.has(key) && v !== null && v !== undefined) (out ??= {})[key] = v;
  }
  return out;
}
