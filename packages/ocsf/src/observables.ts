import type { OcsfEvent } from './types';

export interface OcsfObservable { name: string; type_id: number; type: string; value: string }

type Obj = Record<string, unknown> | undefined;
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);

/**
 * Where an event names a user, an IP address or a resource, and the OCSF observable type of each: ONE list, read in
 * this order for every class (a path a class does not have is simply absent from its events). Captions are OCSF
 * 1.8.0's; the semantic check proves each matches its id and that `name` is the attribute `read` reads. A reader per
 * path rather than a generic walk: this runs for every event on the worker's path.
 */
const OBSERVABLES: ReadonlyArray<{ name: string; typeId: number; type: string; read: (e: OcsfEvent) => unknown }> = [
  { name: 'user.name', typeId: 4, type: 'User Name', read: (e) => o(e.user)?.name },
  { name: 'user.uid', typeId: 31, type: 'User Object: uid', read: (e) => o(e.user)?.uid },
  { name: 'user.email_addr', typeId: 5, type: 'Email Address', read: (e) => o(e.user)?.email_addr },
  { name: 'actor.user.name', typeId: 4, type: 'User Name', read: (e) => o(e.actor?.user)?.name },
  { name: 'actor.user.uid', typeId: 31, type: 'User Object: uid', read: (e) => o(e.actor?.user)?.uid },
  { name: 'src_endpoint.ip', typeId: 2, type: 'IP Address', read: (e) => e.src_endpoint?.ip },
  { name: 'group.uid', typeId: 33, type: 'Group Object: uid', read: (e) => o(e.group)?.uid },
  { name: 'subgroup.uid', typeId: 33, type: 'Group Object: uid', read: (e) => o(e.subgroup)?.uid },
  { name: 'entity.uid', typeId: 10, type: 'Resource UID', read: (e) => o(e.entity)?.uid },
  { name: 'resources.uid', typeId: 10, type: 'Resource UID', read: (e) => (Array.isArray(e.resources) ? e.resources.map((r) => o(r)?.uid) : undefined) },
  { name: 'dst_endpoint.uid', typeId: 10, type: 'Resource UID', read: (e) => o(e.dst_endpoint)?.uid },
];

/**
 * The observables of an event: one per distinct value of a type found at the listed paths (each element of an
 * array), named by the first path that holds it (a sign-in's user is also its actor: listed once, as `user`).
 */
export function observablesOf(e: OcsfEvent): OcsfObservable[] | undefined {
  let out: OcsfObservable[] | undefined;
  for (const { name, typeId, type, read } of OBSERVABLES) {
    const v = read(e);
    if (typeof v === 'string') {
      if (v) out = add(out, name, typeId, type, v);
    } else if (Array.isArray(v)) {
      for (const x of v) if (typeof x === 'string' && x) out = add(out, name, typeId, type, x);
    }
  }
  return out;
}

function add(out: OcsfObservable[] | undefined, name: string, typeId: number, type: string, value: string): OcsfObservable[] {
  if (!out) return [{ name, type_id: typeId, type, value }];
  for (const x of out) if (x.type_id === typeId && x.value === value) return out;
  out.push({ name, type_id: typeId, type, value });
  return out;
}
