import type { OcsfEvent, OcsfUser } from './types';

/** One OCSF observable: a pointer (name) to a value in the event, typed by OCSF's observable type_id. */
export interface OcsfObservable {
  name: string;
  type_id: number;
  type: string;
  value: string;
}

export interface ObservableType {
  readonly type_id: number;
  readonly type: string;
}

/**
 * The OCSF 1.8.0 observable types the mappers emit, id and caption: the ONE list every observable's type comes from
 * (the semantic check proves each caption matches its id).
 */
export const OBSERVABLE_TYPES = {
  hostname: { type_id: 1, type: 'Hostname' },
  ip: { type_id: 2, type: 'IP Address' },
  userName: { type_id: 4, type: 'User Name' },
  email: { type_id: 5, type: 'Email Address' },
  resourceUid: { type_id: 10, type: 'Resource UID' },
  userUid: { type_id: 31, type: 'User Object: uid' },
  groupName: { type_id: 32, type: 'Group Object: name' },
  groupUid: { type_id: 33, type: 'Group Object: uid' },
  deviceUid: { type_id: 47, type: 'Device Object: uid' },
} as const satisfies Record<string, ObservableType>;

const T = OBSERVABLE_TYPES;

export function observable(name: string, kind: ObservableType, value: string): OcsfObservable {
  return { name, type_id: kind.type_id, type: kind.type, value };
}

type Obj = Record<string, unknown> | undefined;
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);

/**
 * The common policy, for classes whose mapper lists no observables of its own: where an event names a user, an IP
 * address or a resource, read in this order for every class (a path a class does not have is simply absent from
 * its events), `name` being the attribute `read` reads. A reader per path rather than a generic walk: this runs
 * for every event on the worker's path.
 */
const COMMON_PATHS: ReadonlyArray<{ name: string; kind: ObservableType; read: (e: OcsfEvent) => unknown }> = [
  { name: 'user.name', kind: T.userName, read: (e) => o(e.user)?.name },
  { name: 'user.uid', kind: T.userUid, read: (e) => o(e.user)?.uid },
  { name: 'user.email_addr', kind: T.email, read: (e) => o(e.user)?.email_addr },
  { name: 'actor.user.name', kind: T.userName, read: (e) => o(e.actor?.user)?.name },
  { name: 'actor.user.uid', kind: T.userUid, read: (e) => o(e.actor?.user)?.uid },
  { name: 'src_endpoint.ip', kind: T.ip, read: (e) => e.src_endpoint?.ip },
  { name: 'group.uid', kind: T.groupUid, read: (e) => o(e.group)?.uid },
  { name: 'subgroup.uid', kind: T.groupUid, read: (e) => o(e.subgroup)?.uid },
  { name: 'entity.uid', kind: T.resourceUid, read: (e) => o(e.entity)?.uid },
  { name: 'resources.uid', kind: T.resourceUid, read: (e) => (Array.isArray(e.resources) ? e.resources : undefined) },
  { name: 'dst_endpoint.uid', kind: T.resourceUid, read: (e) => o(e.dst_endpoint)?.uid },
];

/**
 * The common observables of an event: one per distinct value of a type found at the listed paths (each element of
 * an array), named by the first path that holds it (a sign-in's user is also its actor: listed once, as `user`).
 */
export function observablesOf(e: OcsfEvent): OcsfObservable[] | undefined {
  let out: OcsfObservable[] | undefined;
  for (const { name, kind, read } of COMMON_PATHS) {
    const v = read(e);
    if (typeof v === 'string') {
      if (v) out = addDistinct(out, name, kind, v);
    } else if (Array.isArray(v)) {
      for (const x of v) {
        const uid = o(x)?.uid;
        if (typeof uid === 'string' && uid) out = addDistinct(out, name, kind, uid);
      }
    }
  }
  return out;
}

function addDistinct(out: OcsfObservable[] | undefined, name: string, kind: ObservableType, value: string): OcsfObservable[] {
  if (!out) return [observable(name, kind, value)];
  for (const x of out) if (x.type_id === kind.type_id && x.value === value) return out;
  out.push(observable(name, kind, value));
  return out;
}

/**
 * The directory-audit policy: the users, IP addresses, groups and resources an audit names, the pivots a SIEM
 * indexes ("every event about this user / IP / object"), actor first. One observable per thing named (a user by its
 * name, else its uid; a group by its uid, else its name): every observable is bytes in every event, and
 * serialization is most of the mapping's cost. Built from the finished event so they point at real fields.
 */
export function auditObservables(e: OcsfEvent): OcsfObservable[] | undefined {
  const out: OcsfObservable[] = [];
  const actor = e.actor?.user;
  if (actor) pushUser(out, 'actor.user', actor);
  pushIf(out, 'src_endpoint.ip', T.ip, e.src_endpoint?.ip);
  const user = e.user as OcsfUser | undefined;
  if (user) pushUser(out, 'user', user);
  const group = e.group as { uid?: string; name?: string } | undefined;
  if (group) {
    if (group.uid !== undefined) pushIf(out, 'group.uid', T.groupUid, group.uid);
    else pushIf(out, 'group.name', T.groupName, group.name);
  }
  const subgroup = e.subgroup as { uid?: string; name?: string } | undefined;
  if (subgroup) {
    if (subgroup.uid !== undefined) pushIf(out, 'subgroup.uid', T.groupUid, subgroup.uid);
    else pushIf(out, 'subgroup.name', T.groupName, subgroup.name);
  }
  pushIf(out, 'entity.uid', T.resourceUid, (e.entity as { uid?: string } | undefined)?.uid);
  const resources = e.resources as Array<{ uid?: string }> | undefined;
  if (resources) for (const r of resources) pushIf(out, 'resources.uid', T.resourceUid, r.uid);
  pushIf(out, 'resource.uid', T.resourceUid, (e.resource as { uid?: string } | undefined)?.uid);
  return out.length ? out : undefined;
}

function pushUser(out: OcsfObservable[], path: 'actor.user' | 'user', u: OcsfUser): void {
  if (u.name !== undefined) pushIf(out, path === 'user' ? 'user.name' : 'actor.user.name', T.userName, u.name);
  else pushIf(out, path === 'user' ? 'user.uid' : 'actor.user.uid', T.userUid, u.uid);
}

function pushIf(out: OcsfObservable[], name: string, kind: ObservableType, value: unknown): void {
  if (typeof value === 'string' && value.length > 0) out.push(observable(name, kind, value));
}
