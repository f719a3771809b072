import type { OcsfEvent } from './types';

export interface OcsfObservable { name: string; type_id: number; type: string; value: string }

/**
 * Where an event names a user, an IP address or a resource, and the OCSF observable type of each: ONE list, read in
 * this order for every class (a path a class does not have is simply absent from its events). Captions are OCSF
 * 1.8.0's; the semantic check proves each matches its id.
 */
const OBSERVABLE_PATHS: ReadonlyArray<readonly [path: readonly string[], typeId: number, type: string]> = [
  [['user', 'name'], 4, 'User Name'],
  [['user', 'uid'], 31, 'User Object: uid'],
  [['user', 'email_addr'], 5, 'Email Address'],
  [['actor', 'user', 'name'], 4, 'User Name'],
  [['actor', 'user', 'uid'], 31, 'User Object: uid'],
  [['src_endpoint', 'ip'], 2, 'IP Address'],
  [['group', 'uid'], 33, 'Group Object: uid'],
  [['subgroup', 'uid'], 33, 'Group Object: uid'],
  [['entity', 'uid'], 10, 'Resource UID'],
  [['resources', 'uid'], 10, 'Resource UID'],
  [['service', 'uid'], 10, 'Resource UID'],
  [['dst_endpoint', 'uid'], 10, 'Resource UID'],
];

const NAMES = OBSERVABLE_PATHS.map(([path]) => path.join('.'));

/**
 * The observables of an event: one per distinct value of a type found at the listed paths (each element of an
 * array), named by the first path that holds it (a sign-in's user is also its actor: listed once, as `user`).
 */
export function observablesOf(e: OcsfEvent): OcsfObservable[] | undefined {
  let out: OcsfObservable[] | undefined;
  for (let i = 0; i < OBSERVABLE_PATHS.length; i++) {
    const [path, typeId, type] = OBSERVABLE_PATHS[i];
    let v: unknown = e[path[0]];
    for (let j = 1; j < path.length && v !== undefined; j++) {
      if (Array.isArray(v)) {
        // resources[].uid: every element's value
        for (const item of v) {
          const x = item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[path[j]] : undefined;
          if (typeof x === 'string' && x) out = add(out, NAMES[i], typeId, type, x);
        }
        v = undefined;
        break;
      }
      v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[path[j]] : undefined;
    }
    if (typeof v === 'string' && v) out = add(out, NAMES[i], typeId, type, v);
  }
  return out;
}

function add(out: OcsfObservable[] | undefined, name: string, typeId: number, type: string, value: string): OcsfObservable[] {
  if (!out) return [{ name, type_id: typeId, type, value }];
  for (const o of out) if (o.type_id === typeId && o.value === value) return out;
  out.push({ name, type_id: typeId, type, value });
  return out;
}
