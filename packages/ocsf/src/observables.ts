import type { OcsfEvent } from './types';

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

function observable(name: string, kind: ObservableType, value: string): OcsfObservable {
  return { name, type_id: kind.type_id, type: kind.type, value };
}

type Obj = Record<string, unknown> | undefined;
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);

/**
 * Where an event names something a SIEM pivots on: the attribute path (the observable's `name`), its observable type,
 * and how to read it off a finished event — `read` for a single value, `list` for an array attribute whose
 * elements' `uid` are the values. A reader per path rather than a generic walk: this runs for every event on the
 * worker's path.
 */
interface ObservablePath {
  readonly kind: ObservableType;
  readonly read?: (e: OcsfEvent) => unknown;
  readonly list?: (e: OcsfEvent) => unknown;
}

/**
 * THE list of observable paths: every observable a mapper emits points at one of these (the policies below pick
 * from it; mappers that list their own observables name them through `observableAt`).
 */
export const OBSERVABLE_PATHS = {
  'user.name': { kind: T.userName, read: (e) => o(e.user)?.name },
  'user.uid': { kind: T.userUid, read: (e) => o(e.user)?.uid },
  'user.email_addr': { kind: T.email, read: (e) => o(e.user)?.email_addr },
  'actor.user.name': { kind: T.userName, read: (e) => o(e.actor?.user)?.name },
  'actor.user.uid': { kind: T.userUid, read: (e) => o(e.actor?.user)?.uid },
  'src_endpoint.ip': { kind: T.ip, read: (e) => e.src_endpoint?.ip },
  'group.uid': { kind: T.groupUid, read: (e) => o(e.group)?.uid },
  'group.name': { kind: T.groupName, read: (e) => o(e.group)?.name },
  'subgroup.uid': { kind: T.groupUid, read: (e) => o(e.subgroup)?.uid },
  'subgroup.name': { kind: T.groupName, read: (e) => o(e.subgroup)?.name },
  'entity.uid': { kind: T.resourceUid, read: (e) => o(e.entity)?.uid },
  'resources.uid': { kind: T.resourceUid, list: (e) => (Array.isArray(e.resources) ? e.resources : undefined) },
  'resource.uid': { kind: T.resourceUid, read: (e) => o(e.resource)?.uid },
  'dst_endpoint.uid': { kind: T.resourceUid, read: (e) => o(e.dst_endpoint)?.uid },
  'device.uid': { kind: T.deviceUid, read: (e) => o(e.device)?.uid },
  'device.hostname': { kind: T.hostname, read: (e) => o(e.device)?.hostname },
  // Identity Protection findings name one evidence: its user and source address.
  'evidences.user.name': { kind: T.userName, read: (e) => o(o(firstOf(e.evidences))?.user)?.name },
  'evidences.src_endpoint.ip': { kind: T.ip, read: (e) => o(o(firstOf(e.evidences))?.src_endpoint)?.ip },
} as const satisfies Record<string, ObservablePath>;

export type ObservablePathName = keyof typeof OBSERVABLE_PATHS;

function firstOf(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : undefined;
}

/** The observable at one of the listed paths, typed as the list says. */
export function observableAt(name: ObservablePathName, value: string): OcsfObservable {
  return observable(name, OBSERVABLE_PATHS[name].kind, value);
}

interface Compiled {
  name: ObservablePathName;
  kind: ObservableType;
  read: ((e: OcsfEvent) => unknown) | undefined;
  list: ((e: OcsfEvent) => unknown) | undefined;
}
const compile = (name: ObservablePathName): Compiled => {
  const p: ObservablePath = OBSERVABLE_PATHS[name];
  return { name, kind: p.kind, read: p.read, list: p.list };
};

/**
 * The common policy, for classes whose mapper lists no observables of its own: where an event names a user, an IP
 * address or a resource, read in this order for every class (a path a class does not have is simply absent from
 * its events); one observable per distinct value of a type, named by the first path that holds it (a sign-in's user
 * is also its actor: listed once, as `user`).
 */
const COMMON_POLICY: readonly Compiled[] = ([
  'user.name', 'user.uid', 'user.email_addr', 'actor.user.name', 'actor.user.uid', 'src_endpoint.ip', 'group.uid',
  'subgroup.uid', 'entity.uid', 'resources.uid', 'dst_endpoint.uid',
] as const).map(compile);

/**
 * The directory-audit policy: the users, IP addresses, groups and resources an audit names, the pivots a SIEM
 * indexes ("every event about this user / IP / object"), actor first. One observable per thing named: each row's
 * first path the event has (a user by its name, else its uid; a group by its uid, else its name) — every observable
 * is bytes in every event, and serialization is most of the mapping's cost.
 */
const AUDIT_POLICY: ReadonlyArray<readonly Compiled[]> = ([
  ['actor.user.name', 'actor.user.uid'], ['src_endpoint.ip'], ['user.name', 'user.uid'], ['group.uid', 'group.name'],
  ['subgroup.uid', 'subgroup.name'], ['entity.uid'], ['resources.uid'], ['resource.uid'],
] as const).map((row) => row.map(compile));

/** The common observables of an event (see COMMON_POLICY). */
export function observablesOf(e: OcsfEvent): OcsfObservable[] | undefined {
  let out: OcsfObservable[] | undefined;
  for (const { name, kind, read, list } of COMMON_POLICY) {
    if (read) {
      const v = read(e);
      if (typeof v === 'string' && v) out = addDistinct(out, name, kind, v);
    } else {
      const items = list!(e) as readonly unknown[] | undefined;
      if (items) {
        for (const x of items) {
          const uid = o(x)?.uid;
          if (typeof uid === 'string' && uid) out = addDistinct(out, name, kind, uid);
        }
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

/** The observables of a directory audit (see AUDIT_POLICY), built from the finished event so they point at real fields. */
export function auditObservables(e: OcsfEvent): OcsfObservable[] | undefined {
  const out: OcsfObservable[] = [];
  for (const row of AUDIT_POLICY) {
    for (const { name, kind, read, list } of row) {
      if (read) {
        const v = read(e);
        if (v === undefined) continue; // absent: the row's next path
        if (typeof v === 'string' && v.length > 0) out.push(observable(name, kind, v));
      } else {
        const items = list!(e) as readonly unknown[] | undefined;
        if (items === undefined) continue;
        for (const x of items) {
          const uid = o(x)?.uid;
          if (typeof uid === 'string' && uid.length > 0) out.push(observable(name, kind, uid));
        }
      }
      break;
    }
  }
  return out.length ? out : undefined;
}
