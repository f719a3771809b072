import { isDeepStrictEqual } from 'node:util';

/**
 * The shipped class schemas each carry their own copy of every OCSF object they use under `$defs` (user, device,
 * metadata, …), and the copies are identical from class to class. Compiled as they are, each object's validator
 * exists once per class: 13 MB of generated code, ~45 MB more worker memory at load and more as it warms up, and
 * functions too large for V8 to optimise. Moving the objects into one schema of their own, referenced by every
 * class, compiles each object once; the checks are the same schemas, word for word.
 */

/** `$id` of the schema holding the objects (an identifier only: nothing is fetched). */
export const OBJECTS_SCHEMA_ID = 'urn:entra-ingest:ocsf:1.8.0:objects';

type Schema = Record<string, unknown>;

export interface SharedDefs {
  /** `{ $id: OBJECTS_SCHEMA_ID, $defs }`: every object any class uses, with refs between objects pointing here. */
  objects: Schema;
  /** The class schemas without their `$defs`, their `#/$defs/x` refs pointing at the objects schema. */
  classes: Schema[];
}

/**
 * Pure: the class schemas with their `$defs` moved into one shared schema. Throws, naming the object and the two
 * classes, when two classes define an object differently (a schema update that breaks the premise must not
 * silently validate one class against another's object).
 */
export function shareDefs(classSchemas: Schema[]): SharedDefs {
  const defs: Record<string, unknown> = {};
  const definedBy: Record<string, string> = {};
  const classes = classSchemas.map((schema) => {
    const { $defs, ...rest } = schema;
    const name = String(schema.$id ?? schema.title ?? '(a class schema)');
    for (const [key, def] of Object.entries(($defs ?? {}) as Record<string, unknown>)) {
      if (!(key in defs)) {
        defs[key] = def;
        definedBy[key] = name;
      } else if (!isDeepStrictEqual(defs[key], def)) {
        throw new Error(`OCSF schemas: $defs/${key} differs between ${definedBy[key]} and ${name}; the shared object schema needs them equal`);
      }
    }
    return retarget(rest) as Schema;
  });
  const objects: Schema = { $schema: classSchemas[0]?.$schema, $id: OBJECTS_SCHEMA_ID, $defs: retarget(defs) };
  return { objects, classes };
}

/** A copy of `node` with every local `#/$defs/…` ref pointing into the objects schema. */
function retarget(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(retarget);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#/$defs/') ? `${OBJECTS_SCHEMA_ID}${value}` : retarget(value);
  }
  return out;
}
