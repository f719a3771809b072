import type { OcsfEvent, OcsfUser } from './types';

/** One OCSF observable: a pointer (name) to a value in the event, typed by OCSF's observable type_id. */
export interface OcsfObservable {
  name: string;
  type_id: number;
  type: string;
  value: string;
}

const IP_ADDRESS = { type_id: 2, type: 'IP Address' };
const USER_NAME = { type_id: 4, type: 'User Name' };
const RESOURCE_UID = { type_id: 10, type: 'Resource UID' };
const USER_UID = { type_id: 31, type: 'User Object: uid' };
const GROUP_NAME = { type_id: 32, type: 'Group Object: name' };
const GROUP_UID = { type_id: 33, type: 'Group Object: uid' };

/**
 * The users, IP addresses, groups and resources a directory-audit event names, as observables: the pivots a SIEM
 * indexes ("every event about this user / IP / object"). Built from the finished event so they point at real fields.
 */
export function auditObservables(e: OcsfEvent): OcsfObservable[] {
  const out: OcsfObservable[] = [];
  const add = (name: string, kind: { type_id: number; type: string }, value: unknown) => {
    if (typeof value === 'string' && value.length > 0) out.push({ name, type_id: kind.type_id, type: kind.type, value });
  };
  // One observable per thing named (a user by its name, else its uid): every observable is bytes in every event,
  // and serialization is most of the mapping's cost.
  const user = (path: string, u: OcsfUser | undefined) => {
    if (!u) return;
    if (u.name !== undefined) add(`${path}.name`, USER_NAME, u.name);
    else add(`${path}.uid`, USER_UID, u.uid);
  };
  user('actor.user', e.actor?.user);
  add('src_endpoint.ip', IP_ADDRESS, e.src_endpoint?.ip);
  user('user', e.user as OcsfUser | undefined);
  const group = e.group as { uid?: string; name?: string } | undefined;
  if (group?.uid !== undefined) add('group.uid', GROUP_UID, group.uid);
  else add('group.name', GROUP_NAME, group?.name);
  const subgroup = e.subgroup as { uid?: string; name?: string } | undefined;
  if (subgroup?.uid !== undefined) add('subgroup.uid', GROUP_UID, subgroup.uid);
  else add('subgroup.name', GROUP_NAME, subgroup?.name);
  add('entity.uid', RESOURCE_UID, (e.entity as { uid?: string } | undefined)?.uid);
  const resources = e.resources as Array<{ uid?: string }> | undefined;
  if (resources) for (const r of resources) add('resources.uid', RESOURCE_UID, r.uid);
  add('resource.uid', RESOURCE_UID, (e.resource as { uid?: string } | undefined)?.uid);
  return out;
}
