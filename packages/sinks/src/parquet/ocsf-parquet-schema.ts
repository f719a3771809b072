import fs from 'node:fs';
import path from 'node:path';
import { SCHEMA_DIR } from '@entra-ingest/ocsf';

/**
 * The Parquet shape of OCSF events, derived from the class's OCSF 1.8.0 JSON Schema — the one place the types come
 * from. An OCSF object is a struct, an array a list, `timestamp_t` (the schemas mark it in `$comment`) a UTC
 * millisecond timestamp, `integer` an int64, `number` a double. Only free-form values (`json_t` and objects without
 * declared attributes, e.g. `unmapped`) are JSON text: the schema says nothing about their inside.
 *
 * A class's full schema reaches about 10,000 leaf columns (objects nest and recurse), so a file carries the attributes
 * its events use: the union over the batch, each typed by the schema. Readers (Glue/Athena, DuckDB, pyarrow) match
 * columns by name, so files of one table with different subsets read as one table.
 */
export type ParquetLeafType = 'string' | 'int64' | 'double' | 'boolean' | 'timestamp' | 'json';

export type ParquetNode =
  | { kind: 'leaf'; name: string; type: ParquetLeafType }
  | { kind: 'struct'; name: string; fields: ParquetNode[] }
  | { kind: 'list'; name: string; element: ParquetNode };

type JsonSchema = {
  type?: string | string[];
  $ref?: string;
  $comment?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  $defs?: Record<string, JsonSchema>;
};

export class ParquetSchemaError extends Error {
  override name = 'ParquetSchemaError';
}

const schemaCache = new Map<string, JsonSchema>();

/** The class's JSON Schema as shipped with the ocsf package (`<className>.schema.json`). */
export function classJsonSchema(className: string): JsonSchema {
  let schema = schemaCache.get(className);
  if (!schema) {
    if (!/^[a-z_]+$/.test(className)) throw new ParquetSchemaError(`not an OCSF class name: ${JSON.stringify(className)}`);
    const file = path.join(SCHEMA_DIR, `${className}.schema.json`);
    try {
      schema = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonSchema;
    } catch (err) {
      throw new ParquetSchemaError(`no OCSF 1.8.0 JSON Schema for class ${className} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    schemaCache.set(className, schema);
  }
  return schema;
}

function resolve(root: JsonSchema, node: JsonSchema): JsonSchema {
  let current = node;
  for (let hops = 0; current.$ref; hops++) {
    const name = /^#\/\$defs\/(.+)$/.exec(current.$ref)?.[1];
    const target = name ? root.$defs?.[name] : undefined;
    if (!target || hops > 10) throw new ParquetSchemaError(`unresolvable $ref ${current.$ref}`);
    current = target;
  }
  return current;
}

function primitiveType(node: JsonSchema): ParquetLeafType | undefined {
  const type = Array.isArray(node.type) ? node.type.find((t) => t !== 'null') : node.type;
  switch (type) {
    case 'string': return 'string';
    case 'integer': return node.$comment?.includes('timestamp_t') ? 'timestamp' : 'int64';
    case 'number': return 'double';
    case 'boolean': return 'boolean';
    default: return undefined;
  }
}

/** The node for `value` (all values seen at this place) under the JSON Schema `node`. */
function derive(root: JsonSchema, name: string, node: JsonSchema, values: unknown[], where: string): ParquetNode | undefined {
  const s = resolve(root, node);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (type === 'array') {
    const items = values.filter(Array.isArray).flat();
    const element = derive(root, 'element', s.items ?? {}, items, `${where}[]`);
    return element && { kind: 'list', name, element };
  }
  if (type === 'object' && s.properties) {
    const objects = values.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v));
    const fields = deriveFields(root, s.properties, objects, where);
    // Parquet has no empty groups: an object that is always empty (or a list of them) is left out, and reads as null.
    return fields.length ? { kind: 'struct', name, fields } : undefined;
  }
  const leaf = primitiveType(s);
  return { kind: 'leaf', name, type: leaf ?? 'json' };
}

function deriveFields(root: JsonSchema, properties: Record<string, JsonSchema>, objects: Record<string, unknown>[], where: string): ParquetNode[] {
  const names = new Set<string>();
  for (const o of objects) for (const k of Object.keys(o)) if (o[k] !== undefined && o[k] !== null) names.add(k);
  const fields: ParquetNode[] = [];
  // Schema order, not event order: the same attributes always give the same column order.
  for (const name of Object.keys(properties)) {
    if (!names.has(name)) continue;
    names.delete(name);
    const at = where ? `${where}.${name}` : name;
    const field = derive(root, name, properties[name]!, objects.map((o) => o[name]).filter((v) => v !== undefined && v !== null), at);
    if (field) fields.push(field);
  }
  if (names.size) {
    throw new ParquetSchemaError(`attribute ${[...names].map((n) => (where ? `${where}.${n}` : n)).join(', ')} is not in the OCSF 1.8.0 schema of this class`);
  }
  return fields;
}

/** The top-level columns for these events of one class: the union of the attributes they use, typed by the schema. */
export function parquetColumnsFor(className: string, events: Record<string, unknown>[]): ParquetNode[] {
  const root = classJsonSchema(className);
  if (!root.properties) throw new ParquetSchemaError(`the JSON Schema of ${className} has no properties`);
  return deriveFields(root, root.properties, events, '');
}
