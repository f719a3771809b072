import { CLASS_INFO, OTHER, USER_INVENTORY } from './classes';
import { cloud, envelope, joinText, metadata, USER_TYPE } from './common';
import { MappingError } from './errors';
import { observableAt, type OcsfObservable } from './observables';
import { asArray, asObject, bool, collectUnknownKeys, str, type Json } from './read';
import { parseGraphTime } from './time';
import type { MapContext, OcsfAccount, OcsfEvent, OcsfLdapPerson, OcsfUser } from './types';

const COLLECT = 2;
const REMOVED = 'Removed';

/** user fields with an OCSF home; the rest (businessPhones, preferredLanguage, …) go to `unmapped`. */
const MAPPED_KEYS = new Set([
  'id', 'userPrincipalName', 'displayName', 'givenName', 'surname', 'mail', 'jobTitle', 'department',
  'officeLocation', 'mobilePhone', 'employeeId', 'companyName', 'accountEnabled', 'onPremisesSyncEnabled',
  'createdDateTime', 'manager', 'manager@delta', '@removed',
]);

/**
 * A user from /users or /users/delta → User Inventory Info (5003). A live user is a Collect. A delta `@removed`
 * entry (reason "changed": soft-deleted and restorable; "deleted": gone for good) is the inventory's tombstone:
 * activity Other, activity_name "Removed", so a lake keyed on user.uid can retire the user instead of seeing an
 * empty "collected" user.
 */
export function mapUser(record: unknown, ctx: MapContext | undefined): OcsfEvent {
  const r = asObject(record);
  if (!r) throw new MappingError('user record is not a JSON object');
  const uid = str(r.id);
  if (uid === undefined) throw new MappingError('user record has no id', 'id');
  const time = ctx?.observedTime ?? Date.now();
  if (!Number.isSafeInteger(time)) throw new MappingError('MapContext.observedTime must be an integer of ms since the epoch');
  const removed = asObject(r['@removed']);
  const e = removed
    ? envelope(USER_INVENTORY, OTHER, REMOVED, 1, time)
    : envelope(USER_INVENTORY, COLLECT, CLASS_INFO[USER_INVENTORY].activities[COLLECT], 1, time);
  e.metadata = metadata('users', ctx, uid, undefined, undefined, ['cloud']);
  e.status_id = 1;
  e.status = 'Success';
  e.timezone_offset = 0; // `time` is this process's UTC clock
  const name = str(r.userPrincipalName);
  if (removed) {
    const reason = str(removed.reason);
    e.message = reason === 'deleted' ? 'User permanently deleted' : 'User deleted (restorable)';
  } else {
    e.message = joinText('User ', name ?? uid);
  }
  e.cloud = cloud(ctx);
  const user = inventoryUser(r, uid, name, ctx);
  e.user = user;
  let unmapped: Json | undefined;
  if (removed) (unmapped ??= {})['@removed'] = removed;
  unmapped = collectUnknownKeys(r, MAPPED_KEYS, unmapped);
  if (unmapped) e.unmapped = unmapped;
  e.observables = userObservables(user);
  return e;
}

/**
 * The common observables (observables.ts) of a user inventory event, read directly: its user is the only thing it
 * names, and uid, name and email are of three different types, so none is a duplicate of another.
 */
function userObservables(user: OcsfUser): OcsfObservable[] {
  const out: OcsfObservable[] = [];
  if (user.name !== undefined) out.push(observableAt('user.name', user.name));
  out.push(observableAt('user.uid', user.uid!));
  if (user.email_addr !== undefined) out.push(observableAt('user.email_addr', user.email_addr));
  return out;
}

function inventoryUser(r: Json, uid: string, name: string | undefined, ctx: MapContext | undefined): OcsfUser {
  const user: OcsfUser = { uid };
  if (name !== undefined) user.name = name;
  const displayName = str(r.displayName);
  if (displayName !== undefined) {
    user.display_name = displayName;
    user.full_name = displayName;
  }
  const mail = str(r.mail);
  if (mail !== undefined) user.email_addr = mail;
  // Member and Guest are both OCSF's "User"; Graph's userType stays in unmapped.userType.
  user.type_id = USER_TYPE.id;
  user.type = USER_TYPE.caption;
  const account: OcsfAccount = { uid };
  if (name !== undefined) account.name = name;
  account.type_id = 6;
  account.type = 'Azure AD Account';
  const enabled = bool(r.accountEnabled);
  if (enabled !== undefined) account.is_disabled = !enabled;
  const synced = bool(r.onPremisesSyncEnabled);
  if (synced !== undefined) account.is_on_premises_sync_enabled = synced;
  user.account = account;
  const company = str(r.companyName);
  if (ctx?.tenantId || company !== undefined) {
    user.org = {};
    if (ctx?.tenantId) user.org.uid = ctx.tenantId;
    if (company !== undefined) user.org.name = company;
  }
  const person = ldapPerson(r);
  if (person) user.ldap_person = person;
  return user;
}

function ldapPerson(r: Json): OcsfLdapPerson | undefined {
  // Field by field, in the order they are serialized; undefined when the user has none of them.
  const p: OcsfLdapPerson = {};
  const givenName = str(r.givenName);
  if (givenName !== undefined) p.given_name = givenName;
  const surname = str(r.surname);
  if (surname !== undefined) p.surname = surname;
  const jobTitle = str(r.jobTitle);
  if (jobTitle !== undefined) p.job_title = jobTitle;
  const department = str(r.department);
  if (department !== undefined) p.department = department;
  const office = str(r.officeLocation);
  if (office !== undefined) p.office_location = office;
  const employeeId = str(r.employeeId);
  if (employeeId !== undefined) p.employee_uid = employeeId;
  const phone = str(r.mobilePhone);
  if (phone !== undefined) p.phone_number = phone;
  const created = parseGraphTime(r.createdDateTime);
  if (created !== undefined) p.created_time = created;
  const manager = managerOf(r);
  if (manager) p.manager = manager;
  return hasAnyKey(p) ? p : undefined;
}

/** `manager` ($expand=manager) or `manager@delta` (users/delta with $select=manager): the first with an id. */
function managerOf(r: Json): OcsfUser | undefined {
  const direct = asObject(r.manager);
  const delta = asArray(r['manager@delta']);
  const m = direct ?? asObject(delta?.[0]);
  if (!m || m['@removed'] !== undefined) return undefined;
  const uid = str(m.id);
  const name = str(m.userPrincipalName) ?? str(m.displayName);
  if (uid === undefined && name === undefined) return undefined;
  const manager: OcsfUser = {};
  if (uid !== undefined) manager.uid = uid;
  if (name !== undefined) manager.name = name;
  return manager;
}

function hasAnyKey(o: object): boolean {
  for (const _ in o) return true;
  return false;
}
