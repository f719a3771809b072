import { ACCOUNT_CHANGE, CLASS_INFO, ENTITY_MANAGEMENT, GROUP_MANAGEMENT, OTHER, USER_ACCESS, activityIdOf } from './classes';
import { classifyAudit, type AuditClassification } from './audit-rules';
import { changedProperties } from './audit-changes';
import { applyAuditResult, cloud, envelope, initiator, metadata, SERVICE_PRINCIPAL_USER_TYPE_ID } from './common';
import { MappingError } from './errors';
import { auditObservables } from './observables';
import { asArray, asObject, collectUnknownKeys, str, type Json } from './read';
import { anyModifiedValue, findByType, identifies, modifiedValue, readTargets, targetName, type Target } from './targets';
import { parseGraphTime } from './time';
import type { MapContext, OcsfAccount, OcsfEvent, OcsfGroup, OcsfManagedEntity, OcsfResourceDetails, OcsfUser } from './types';

/** directoryAudit fields that have an OCSF home (everything else goes to `unmapped`). */
const MAPPED_KEYS = new Set([
  'id', 'correlationId', 'result', 'resultReason', 'activityDisplayName', 'activityDateTime', 'initiatedBy',
  'userAgent', 'category', 'loggedByService', 'operationType', 'targetResources', 'additionalDetails',
]);

/** The class-specific attributes of one event and the activity they amount to. */
interface ClassPart {
  classUid: number;
  activityId: number;
  fields: Json;
}

export function mapDirectoryAudit(record: unknown, ctx: MapContext | undefined): OcsfEvent {
  const r = asObject(record);
  if (!r) throw new MappingError('directoryAudit record is not a JSON object');
  const timeText = r.activityDateTime;
  const time = parseGraphTime(timeText);
  if (time === undefined) throw new MappingError('activityDateTime is missing or not an RFC 3339 date-time', 'activityDateTime');
  const displayName = str(r.activityDisplayName);
  const category = str(r.category);
  const targets = readTargets(r.targetResources);

  const c = classifyAudit({
    displayName,
    category,
    service: str(r.loggedByService),
    operationType: str(r.operationType),
    targetTypes: () => targetTypesOf(targets),
  });
  const part = classPart(c, targets, ctx) ?? entityPart(ENTITY_OTHER, targets, ctx);
  if (!part) {
    throw new MappingError('no target resource identifies the object acted on, and no tenant id names the directory', 'targetResources');
  }
  const classUid = part.classUid as keyof typeof CLASS_INFO;
  const activityName = part.activityId === OTHER ? (displayName ?? 'Other') : CLASS_INFO[classUid].activities[part.activityId];
  const failed = r.result === 'failure';
  const e = envelope(classUid, part.activityId, activityName, failed ? 2 : 1, time);
  // activity_name keeps Microsoft's name for Other; type_name, from envelope, is the caption of type_uid.
  const who = initiator(r.initiatedBy);
  e.metadata = metadata('directoryAudits', ctx, str(r.id), str(r.correlationId), str(timeText), ['cloud']);
  applyAuditResult(e, r.result);
  const result = str(r.result);
  if (result !== undefined) e.status_code = result; // Graph's own word; `status` is the caption of status_id
  if (e.status_id === 0) e.status = 'Unknown';
  const reason = str(r.resultReason);
  if (reason !== undefined) e.status_detail = reason;
  if (displayName !== undefined) e.message = displayName;
  e.cloud = cloud(ctx);
  if (who.actor) e.actor = who.actor;
  if (who.ip !== undefined) e.src_endpoint = { ip: who.ip };
  const userAgent = str(r.userAgent);
  if (userAgent !== undefined) e.http_request = { user_agent: userAgent };
  for (const key in part.fields) e[key] = part.fields[key];
  const observables = auditObservables(e);
  if (observables) e.observables = observables;

  let unmapped: Json | undefined;
  if (category !== undefined) (unmapped ??= {}).category = category;
  if (r.loggedByService != null) (unmapped ??= {}).loggedByService = r.loggedByService;
  if (r.operationType != null) (unmapped ??= {}).operationType = r.operationType;
  if (asArray(r.targetResources)?.length) (unmapped ??= {}).targetResources = r.targetResources;
  if (asArray(r.additionalDetails)?.length) (unmapped ??= {}).additionalDetails = r.additionalDetails;
  if (who.unmapped) (unmapped ??= {}).initiatedBy = who.unmapped;
  unmapped = collectUnknownKeys(r, MAPPED_KEYS, unmapped);
  if (unmapped) e.unmapped = unmapped;
  return e;
}

/** What an unknown activity with no usable subject becomes: Entity Management Other of whatever it names. */
const ENTITY_OTHER: AuditClassification = { family: 'entity', classUid: ENTITY_MANAGEMENT, action: 'other', activityId: OTHER, layer: 'default' };

function targetTypesOf(targets: Target[]): string[] {
  const types: string[] = [];
  for (const t of targets) if (t.typeKey && !types.includes(t.typeKey)) types.push(t.typeKey);
  return types;
}

function classPart(row: AuditClassification, targets: Target[], ctx: MapContext | undefined): ClassPart | undefined {
  switch (row.classUid) {
    case ACCOUNT_CHANGE:
      return accountChangePart(row, targets);
    case GROUP_MANAGEMENT:
      return groupPart(row, targets);
    case USER_ACCESS:
      return userAccessPart(row, targets);
    default:
      return entityPart(row, targets, ctx);
  }
}

// ── Account Change ──

function accountChangePart(row: AuditClassification, targets: Target[]): ClassPart | undefined {
  const target = findByType(targets, ['user']);
  if (!identifies(target)) return undefined;
  const user = userOf(target);
  user.account = accountOf(target);
  const activityId = row.refine === 'userUpdate' ? refineUserUpdate(target) ?? row.activityId : row.activityId;
  const fields: Json = { user };
  // The account's state after the change, where Graph's properties say it: OCSF's user_result.
  const enabled = modifiedValue(target, 'AccountEnabled');
  if (enabled !== undefined && (enabled.includes('true') || enabled.includes('false'))) {
    fields.user_result = { ...user, account: { ...user.account, is_disabled: enabled.includes('false') } };
  } else if (row.action === 'lock' || row.action === 'unlock') {
    fields.user_result = { ...user, account: { ...user.account, is_locked: row.action === 'lock' } };
  }
  return { classUid: ACCOUNT_CHANGE, activityId, fields };
}

/**
 * "Update user" says nothing by its name; its modified properties do. An update that only flips AccountEnabled is
 * an Enable/Disable; one that changes the registered strong-authentication methods is an MFA factor change.
 */
function refineUserUpdate(target: Target): number | undefined {
  const enabled = modifiedValue(target, 'AccountEnabled');
  if (enabled !== undefined) {
    if (enabled.includes('false')) return activityIdOf(ACCOUNT_CHANGE, 'Disable');
    if (enabled.includes('true')) return activityIdOf(ACCOUNT_CHANGE, 'Enable');
  }
  const newMethods = methodCount(modifiedValue(target, 'StrongAuthenticationMethod'));
  const oldMethods = methodCount(modifiedValue(target, 'StrongAuthenticationMethod', 'oldValue'));
  if (newMethods !== undefined && oldMethods !== undefined && newMethods !== oldMethods) {
    return activityIdOf(ACCOUNT_CHANGE, newMethods > oldMethods ? 'MFA Factor Enable' : 'MFA Factor Disable');
  }
  return undefined;
}

function methodCount(json: string | undefined): number | undefined {
  if (json === undefined || json.charCodeAt(0) !== 91 /* [ */) return undefined;
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.length : undefined;
  } catch {
    return undefined;
  }
}

// ── Group Management ──

const MEMBER_TYPES = ['user', 'group', 'serviceprincipal', 'device', 'contact', 'orgcontact'];
const OWNER_TYPES = ['user', 'serviceprincipal'];

function groupPart(row: AuditClassification, targets: Target[]): ClassPart | undefined {
  const isMembership = row.action === 'addMember' || row.action === 'removeMember';
  const isPrivilege = row.action === 'grant' || row.action === 'revoke';
  let principal: Target | undefined;
  let groupTarget: Target | undefined;
  if (isMembership) {
    // The member points at its group through Group.ObjectID / Group.DisplayName; prefer a non-group member so a
    // user added to a group is never mistaken for the group, and take the other Group target as the parent.
    principal = memberTarget(targets);
    groupTarget = findByType(targets, ['group'], principal);
  } else {
    groupTarget = findByType(targets, ['group']);
    if (isPrivilege && !row.object) principal = findByType(targets, keysOf(row).principal ?? OWNER_TYPES, groupTarget);
  }
  const group = groupOf(groupTarget, principal ?? groupTarget, targets);
  if (!group) return undefined;
  const fields: Json = { group };
  let activityId = row.activityId;
  if (isMembership) {
    if (!identifies(principal)) return undefined;
    if (principal.typeKey === 'group') {
      activityId = activityIdOf(GROUP_MANAGEMENT, row.action === 'addMember' ? 'Add Subgroup' : 'Remove Subgroup');
      fields.subgroup = plainGroup(principal);
    } else if (principal.typeKey === 'user' || principal.typeKey === 'serviceprincipal') {
      fields.user = userOf(principal);
    } else {
      // A device or contact is neither a user nor a subgroup: say what happened, keep the member as the resource.
      activityId = OTHER;
      fields.resource = resourceOf(principal);
    }
  } else if (isPrivilege) {
    if (row.object) {
      const resource = findByType(targets, keysOf(row).object!, groupTarget);
      if (identifies(resource)) fields.resource = resourceOf(resource);
      fields.privileges = privilegesOf(targets, resource, row);
    } else {
      if (!identifies(principal)) return undefined;
      fields.user = userOf(principal);
      fields.privileges = [row.privilege ?? 'Owner'];
    }
  }
  return { classUid: GROUP_MANAGEMENT, activityId, fields };
}

function memberTarget(targets: Target[]): Target | undefined {
  for (const t of targets) if (t.typeKey !== 'group' && MEMBER_TYPES.includes(t.typeKey)) return t;
  // Nested groups: the member group is the one carrying its parent's Group.ObjectID.
  for (const t of targets) if (t.typeKey === 'group' && modifiedValue(t, 'Group.ObjectID') !== undefined) return t;
  return undefined;
}

function groupOf(groupTarget: Target | undefined, carrier: Target | undefined, targets: Target[]): OcsfGroup | undefined {
  const uid = groupTarget?.id ?? (carrier && modifiedValue(carrier, 'Group.ObjectID')) ?? anyModifiedValue(targets, 'Group.ObjectID');
  const name =
    groupTarget?.displayName ?? (carrier && modifiedValue(carrier, 'Group.DisplayName')) ?? anyModifiedValue(targets, 'Group.DisplayName');
  if (uid === undefined && name === undefined) return undefined;
  const group: OcsfGroup = {};
  if (uid !== undefined) group.uid = uid;
  if (name !== undefined) group.name = name;
  if (groupTarget?.groupType !== undefined) group.type = groupTarget.groupType;
  return group;
}

function plainGroup(t: Target): OcsfGroup {
  const g: OcsfGroup = {};
  if (t.id !== undefined) g.uid = t.id;
  const name = targetName(t);
  if (name !== undefined) g.name = name;
  if (t.groupType !== undefined) g.type = t.groupType;
  return g;
}

// ── User Access Management ──

const GRANTEE_TYPES = ['user', 'serviceprincipal', 'group'];

function userAccessPart(row: AuditClassification, targets: Target[]): ClassPart | undefined {
  const rowKeys = keysOf(row);
  const resourceKeys = rowKeys.targets;
  const principalKeys = rowKeys.principal ?? GRANTEE_TYPES;
  // When grantee and resource share a type (service principal → service principal), the resource is the target
  // carrying the grant's properties (AppRole.*, DelegatedPermissionGrant.*) and the grantee is the other one.
  let resource = findGrantCarrier(targets, resourceKeys) ?? findByType(targets, resourceKeys);
  let principal = findByType(targets, principalKeys, resource);
  if (!principal && resource && principalKeys.includes(resource.typeKey)) {
    principal = resource; // consent names only the application consented to: it is the grantee
    resource = undefined;
  }
  if (!identifies(principal)) return undefined;
  const fields: Json = { user: userOf(principal), privileges: privilegesOf(targets, resource, row) };
  if (identifies(resource)) fields.resources = [resourceOf(resource)];
  return { classUid: USER_ACCESS, activityId: row.activityId, fields };
}

const GRANT_PROPERTIES = ['AppRole.Value', 'AppRole.Id', 'DelegatedPermissionGrant.Scope'];

function findGrantCarrier(targets: Target[], typeKeys: string[]): Target | undefined {
  for (const t of targets) {
    if (!typeKeys.includes(t.typeKey)) continue;
    for (const p of GRANT_PROPERTIES) if (modifiedValue(t, p) !== undefined) return t;
  }
  return undefined;
}

/** What was granted: role name, app role value, delegated scopes, else the table's privilege name. */
function privilegesOf(targets: Target[], resource: Target | undefined, row: AuditClassification): string[] {
  if (resource && resource.typeKey === 'role') {
    const name = targetName(resource);
    if (name !== undefined) return [name];
  }
  const roleName = anyModifiedValue(targets, 'Role.DisplayName');
  if (roleName !== undefined) return [roleName];
  const appRole = anyModifiedValue(targets, 'AppRole.Value') ?? anyModifiedValue(targets, 'AppRole.DisplayName');
  if (appRole !== undefined) return [appRole];
  const scope = anyModifiedValue(targets, 'DelegatedPermissionGrant.Scope');
  if (scope !== undefined) {
    const scopes = scope.split(' ').filter((s) => s.length > 0);
    if (scopes.length) return scopes;
  }
  if (row.object === 'AccessPackage' && resource) {
    const name = targetName(resource);
    if (name !== undefined) return [name];
  }
  return [row.privilege ?? (resource && targetName(resource)) ?? 'Directory role'];
}

// ── Entity Management ──

/**
 * OCSF managed_entity.type_id for the Entra object types that have one (the label is then OCSF's caption; policies
 * keep their Entra kind in `entity.policy.type`); every other type is Other (99) labelled with Entra's type name.
 */
const ENTITY_TYPES = new Map<string, { typeId: number; caption: string }>([
  ['device', { typeId: 1, caption: 'Device' }],
  ['user', { typeId: 2, caption: 'User' }],
  ['group', { typeId: 3, caption: 'Group' }],
  ['organization', { typeId: 4, caption: 'Organization' }],
  ['company', { typeId: 4, caption: 'Organization' }],
  ['directory', { typeId: 4, caption: 'Organization' }],
  ['policy', { typeId: 5, caption: 'Policy' }],
  ['conditionalaccesspolicy', { typeId: 5, caption: 'Policy' }],
  ['authorizationpolicy', { typeId: 5, caption: 'Policy' }],
  ['authenticationmethodspolicy', { typeId: 5, caption: 'Policy' }],
  ['namedlocation', { typeId: 7, caption: 'Network Zone' }],
]);

function entityPart(row: AuditClassification, targets: Target[], ctx: MapContext | undefined): ClassPart | undefined {
  const keys = keysOf(row).targets;
  const matched = keys.length ? findByType(targets, keys) : undefined;
  // Last resort for activities we do not know: the first target that names something. Position only breaks the
  // tie when the record gives no type we can use.
  const target = identifies(matched) ? matched : targets.find(identifies);
  const entity: OcsfManagedEntity = {};
  let entraType: string;
  if (target) {
    if (target.id !== undefined) entity.uid = target.id;
    const name = targetName(target);
    if (name !== undefined) entity.name = name;
    entraType = (target === matched ? row.object ?? target.type : target.type ?? row.object) ?? 'Unknown';
  } else if (ctx?.tenantId) {
    // No target at all: the directory itself was acted on.
    entity.uid = ctx.tenantId;
    entraType = 'Directory';
  } else {
    return undefined;
  }
  const known = ENTITY_TYPES.get(entraType.toLowerCase());
  entity.type_id = known?.typeId ?? OTHER;
  entity.type = known?.caption ?? entraType;
  if (known?.typeId === 5) entity.policy = { ...idAndName(entity), type: entraType };
  else if (known?.typeId === 3) entity.group = idAndName(entity);
  else if (known?.typeId === 4) entity.org = idAndName(entity);
  const fields: Json = { entity };
  const changes = target && changedProperties(target);
  if (changes) {
    // Old values on the entity, new values on entity_result: OCSF's before/after pair for a managed entity.
    if (changes.before) entity.data = changes.before;
    fields.entity_result = { ...idAndName(entity), type_id: entity.type_id, type: entity.type, data: changes.after };
  }
  return { classUid: ENTITY_MANAGEMENT, activityId: row.activityId, fields };
}

// ── shared shapes ──

function userOf(t: Target): OcsfUser {
  const user: OcsfUser = {};
  if (t.id !== undefined) user.uid = t.id;
  const name = t.userPrincipalName ?? t.displayName;
  if (name !== undefined) user.name = name;
  if (t.displayName !== undefined && t.userPrincipalName !== undefined) user.display_name = t.displayName;
  if (t.typeKey === 'serviceprincipal') {
    user.type_id = SERVICE_PRINCIPAL_USER_TYPE_ID;
    user.type = 'Service'; // OCSF's caption; Graph's "ServicePrincipal" stays in unmapped.targetResources
  } else if (t.typeKey === 'user') {
    user.type_id = 1;
    user.type = 'User';
  } else {
    user.type_id = OTHER;
    user.type = t.type ?? 'Other'; // Other: the label is Entra's type (a group holding a role)
  }
  return user;
}

function accountOf(t: Target): OcsfAccount {
  const account: OcsfAccount = {};
  if (t.id !== undefined) account.uid = t.id;
  const name = t.userPrincipalName ?? t.displayName;
  if (name !== undefined) account.name = name;
  account.type_id = 6;
  account.type = 'Azure AD Account';
  return account;
}

function resourceOf(t: Target): OcsfResourceDetails {
  const r: OcsfResourceDetails = {};
  if (t.id !== undefined) r.uid = t.id;
  const name = targetName(t);
  if (name !== undefined) r.name = name;
  if (t.type !== undefined) r.type = t.type;
  return r;
}

function idAndName(e: OcsfManagedEntity): { uid?: string; name?: string } {
  const out: { uid?: string; name?: string } = {};
  if (e.uid !== undefined) out.uid = e.uid;
  if (e.name !== undefined) out.name = e.name;
  return out;
}

function lower(s: string): string {
  return s.toLowerCase();
}

/** A row's target types lower-cased for matching; computed once per row, not per record (rows are few and fixed). */
interface RowKeys {
  /** `targets`, else `[object]`, else none: the types that hold the row's object. */
  targets: string[];
  object: string[] | undefined;
  principal: string[] | undefined;
}

const ROW_KEYS = new Map<AuditClassification, RowKeys>();

function keysOf(row: AuditClassification): RowKeys {
  let keys = ROW_KEYS.get(row);
  if (keys === undefined) {
    const object = row.object ? [lower(row.object)] : undefined;
    keys = { targets: row.targets?.map(lower) ?? object ?? [], object, principal: row.principal?.map(lower) };
    // Table rows and fallback rows are module constants, so this stays bounded; anything else is not cached.
    if (ROW_KEYS.size < 1000) ROW_KEYS.set(row, keys);
  }
  return keys;
}
