import { ACCOUNT_CHANGE, CLASS_INFO, ENTITY_MANAGEMENT, OTHER, activityIdOf, type OcsfClassUid } from './classes';
import { cloud, envelope, joinText, metadata } from './common';
import { MappingError } from './errors';
import { asArray, asObject, collectUnknownKeys, str, type Json } from './read';
import { observableAt, type OcsfObservable } from './observables';
import { parseGraphTime } from './time';
import type { MapContext, OcsfActor, OcsfEvent, OcsfManagedEntity, OcsfUser } from './types';

/**
 * A provisioning log entry (provisioningObjectSummary, GET /auditLogs/provisioning) → Account Change (3001) or
 * Entity Management (3004). The decision is data: the provisioning action, and whether the object provisioned is a
 * user account. Account Change has activities for an account's lifecycle (create, disable, delete) and none for an
 * update; every other combination is an Entity Management event about the object.
 */
interface ActionRow {
  /** Class and activity caption when the object is a user account. */
  user: readonly [OcsfClassUid, string];
  /** …and when it is anything else (group, service principal, role, …). */
  other: readonly [OcsfClassUid, string];
}

const ACTIONS: Readonly<Record<string, ActionRow>> = {
  create: { user: [ACCOUNT_CHANGE, 'Create'], other: [ENTITY_MANAGEMENT, 'Create'] },
  disable: { user: [ACCOUNT_CHANGE, 'Disable'], other: [ENTITY_MANAGEMENT, 'Disable'] },
  delete: { user: [ACCOUNT_CHANGE, 'Delete'], other: [ENTITY_MANAGEMENT, 'Delete'] },
  update: { user: [ENTITY_MANAGEMENT, 'Update'], other: [ENTITY_MANAGEMENT, 'Update'] },
  // Soft-deleted in the target (restorable until the hard delete follows): deactivated, not gone.
  stagedDelete: { user: [ENTITY_MANAGEMENT, 'Deactivate'], other: [ENTITY_MANAGEMENT, 'Deactivate'] },
};
const UNKNOWN_ACTION: ActionRow = { user: [ENTITY_MANAGEMENT, 'Other'], other: [ENTITY_MANAGEMENT, 'Other'] };

// Checked at load: a caption the class does not have is a typo, not a runtime surprise.
for (const row of [...Object.values(ACTIONS), UNKNOWN_ACTION]) for (const [cls, caption] of [row.user, row.other]) activityIdOf(cls, caption);

/** provisioningStatusInfo.status → status_id (0 Unknown, 1 Success, 2 Failure, 99 Other). */
const STATUS: Readonly<Record<string, readonly [number, string]>> = {
  success: [1, 'Success'],
  failure: [2, 'Failure'],
  skipped: [99, 'Other'],
  warning: [99, 'Other'],
};

/** managed_entity.type_id for Graph's identityType (lower case); the rest are Other with Graph's word as type. */
const ENTITY_TYPES: Readonly<Record<string, readonly [number, string]>> = {
  user: [2, 'User'],
  group: [3, 'Group'],
  device: [1, 'Device'],
};

const MAPPED_KEYS = new Set([
  'id', 'activityDateTime', 'tenantId', 'jobId', 'cycleId', 'changeId', 'provisioningAction', 'action', 'durationInMilliseconds',
  'provisioningStatusInfo', 'statusInfo', 'servicePrincipal', 'initiatedBy', 'sourceIdentity', 'targetIdentity', 'sourceSystem',
  'targetSystem', 'provisioningSteps', 'modifiedProperties',
]);

interface Identity {
  uid?: string;
  name?: string;
  type?: string;
}

function identity(v: unknown): Identity {
  const o = asObject(v);
  if (!o) return {};
  return { uid: str(o.id), name: str(o.displayName), type: str(o.identityType) };
}

function system(v: unknown): Json | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const out: Json = {};
  const uid = str(o.id);
  const name = str(o.displayName);
  if (uid !== undefined) out.uid = uid;
  if (name !== undefined) out.name = name;
  const details = asObject(o.details);
  if (details && Object.keys(details).length) out.details = details;
  return Object.keys(out).length ? out : undefined;
}

export function mapProvisioning(record: unknown, ctx: MapContext | undefined): OcsfEvent {
  const r = asObject(record);
  if (!r) throw new MappingError('provisioning record is not a JSON object');
  const id = str(r.id);
  if (id === undefined) throw new MappingError('provisioning record has no id', 'id');
  const time = parseGraphTime(r.activityDateTime);
  if (time === undefined) throw new MappingError(`provisioning record ${id}: activityDateTime ${JSON.stringify(r.activityDateTime ?? null)} is not a date-time`, 'activityDateTime');

  // v1.0 names the action provisioningAction; beta's deprecated `action` ("Create", "Update", …) stands in.
  const actionWord = str(r.provisioningAction) ?? lowerFirst(str(r.action));
  const target = identity(r.targetIdentity);
  const source = identity(r.sourceIdentity);
  // The object provisioned: the target's identity once it exists there, else the source's (e.g. a failed create).
  const object: Identity = { uid: target.uid ?? source.uid, name: target.name ?? source.name, type: target.type ?? source.type };
  if (object.uid === undefined && object.name === undefined) {
    throw new MappingError(`provisioning record ${id}: the object provisioned has neither id nor displayName on either side`, 'targetIdentity');
  }
  const isUser = object.type?.toLowerCase() === 'user';
  const row = (actionWord !== undefined ? ACTIONS[actionWord] : undefined) ?? UNKNOWN_ACTION;
  const [classUid, caption] = isUser ? row.user : row.other;
  const activityId = caption === 'Other' ? OTHER : activityIdOf(classUid, caption);

  const statusInfo = asObject(r.provisioningStatusInfo) ?? asObject(r.statusInfo);
  const statusWord = str(statusInfo?.status);
  const status = statusWord !== undefined ? STATUS[statusWord.toLowerCase()] : undefined;
  const failed = status?.[0] === 2;
  const e = envelope(classUid, activityId, CLASS_INFO[classUid].activities[activityId], failed ? 3 : 1, time);
  e.metadata = metadata('provisioning', ctx, id, str(r.changeId), str(r.activityDateTime), ['cloud']);
  if (actionWord !== undefined) e.metadata.event_code = actionWord;
  e.status_id = status?.[0] ?? (statusWord !== undefined ? 99 : 0);
  e.status = status?.[1] ?? (statusWord !== undefined ? 'Other' : 'Unknown');
  const error = asObject(statusInfo?.errorInformation);
  const errorCode = str(error?.errorCode);
  const reason = str(error?.reason);
  // The source's own code: the error's when it failed, else its status word ("success", "skipped"), as audits keep `result`.
  const code = errorCode ?? statusWord;
  if (code !== undefined) e.status_code = code;
  if (reason !== undefined) e.status_detail = reason;
  const duration = r.durationInMilliseconds;
  if (typeof duration === 'number' && Number.isSafeInteger(duration) && duration >= 0) e.duration = duration;

  const sourceSystem = system(r.sourceSystem);
  const targetSystem = system(r.targetSystem);
  // In parts, joined once: a flat string (see joinText).
  const words = ['Provisioning ', actionWord ?? 'action', ' of ', object.type ?? 'object'];
  if (object.name) words.push(" '", object.name, "'");
  else if (object.uid) words.push(' ', object.uid);
  if (sourceSystem?.name) words.push(' from ', String(sourceSystem.name));
  if (targetSystem?.name) words.push(' to ', String(targetSystem.name));
  words.push(': ', statusWord ?? 'status unknown');
  e.message = joinText(...words);
  e.cloud = cloud(ctx);
  const actor = provisioningActor(r);
  if (actor) e.actor = actor;

  const observables: OcsfObservable[] = [];
  if (classUid === ACCOUNT_CHANGE) {
    const user: OcsfUser = { type_id: 1, type: 'User' };
    if (object.uid !== undefined) user.uid = object.uid;
    if (object.name !== undefined) user.name = object.name;
    e.user = user;
    if (user.name !== undefined) observables.push(observableAt('user.name', user.name));
    if (user.uid !== undefined) observables.push(observableAt('user.uid', user.uid));
  } else {
    const [typeId, typeLabel] = (object.type !== undefined ? ENTITY_TYPES[object.type.toLowerCase()] : undefined) ?? [object.type ? 99 : 0, object.type ?? 'Unknown'];
    const entity: OcsfManagedEntity = { type_id: typeId, type: typeLabel };
    if (object.uid !== undefined) entity.uid = object.uid;
    if (object.name !== undefined) entity.name = object.name;
    e.entity = entity;
    if (object.uid !== undefined) observables.push(observableAt('entity.uid', object.uid));
  }
  if (observables.length) e.observables = observables;

  // Systems, identities on both sides, the job and its steps: Graph's provisioning context, kept whole.
  let unmapped: Json | undefined;
  const keep = (key: string, value: unknown): void => {
    if (value !== undefined && value !== null) (unmapped ??= {})[key] = value;
  };
  keep('sourceSystem', sourceSystem);
  keep('targetSystem', targetSystem);
  keep('sourceIdentity', compact(source));
  keep('targetIdentity', compact(target));
  keep('jobId', str(r.jobId));
  keep('cycleId', str(r.cycleId));
  keep('provisioningSteps', asArray(r.provisioningSteps));
  keep('modifiedProperties', asArray(r.modifiedProperties));
  if (error) keep('errorInformation', compactJson(error));
  unmapped = collectUnknownKeys(r, MAPPED_KEYS, unmapped);
  if (unmapped) e.unmapped = unmapped;
  return e;
}

/** The provisioning job acts as the app's service principal; `initiatedBy` says who started it (usually the system). */
function provisioningActor(r: Json): OcsfActor | undefined {
  const sp = asObject(r.servicePrincipal);
  const actor: OcsfActor = {};
  const spId = str(sp?.id);
  const spName = str(sp?.displayName);
  if (spName !== undefined) actor.app_name = spName;
  if (spId !== undefined) actor.app_uid = spId;
  const by = asObject(r.initiatedBy);
  const byName = str(by?.displayName);
  const byId = str(by?.id);
  const byType = str(by?.initiatingType) ?? str(by?.initiatorType);
  if (byType === 'user' && (byId !== undefined || byName !== undefined)) {
    const user: OcsfUser = { type_id: 1, type: 'User' };
    if (byId !== undefined) user.uid = byId;
    if (byName !== undefined) user.name = byName;
    actor.user = user;
  }
  return actor.app_name !== undefined || actor.app_uid !== undefined || actor.user ? actor : undefined;
}

function compact(i: Identity): Json | undefined {
  const out: Json = {};
  if (i.uid !== undefined) out.id = i.uid;
  if (i.name !== undefined) out.displayName = i.name;
  if (i.type !== undefined) out.identityType = i.type;
  return Object.keys(out).length ? out : undefined;
}

function compactJson(o: Json): Json | undefined {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined && v !== '') out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

function lowerFirst(s: string | undefined): string | undefined {
  return s === undefined ? undefined : s.charAt(0).toLowerCase() + s.slice(1);
}
