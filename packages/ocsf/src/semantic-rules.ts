import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLASS_INFO, type OcsfClassUid } from './classes';
import { loadSchema, SCHEMA_DIR } from './schemas';

/**
 * The OCSF server's semantic rules, derived from the shipped OCSF 1.8.0 material and nothing typed by hand:
 * - deprecated attributes: `"deprecated": true` on a property of the JSON Schemas;
 * - enum captions: the "Values: 1 = User; 4 = Service; …" text the schema generator writes into each enum's
 *   description, and the sibling label each enum id names (`type_id` → `type`, `activity_id` → `activity_name`,
 *   `type_uid` → `type_name`, …: the property beside it without `_id`, else with `_name`);
 * - recommended attributes of each class and the profile they belong to: the requirement column of SUMMARY.md
 *   (the JSON Schemas only know "required").
 */

export interface EnumRule {
  key: string;
  sibling?: string;
  captions: ReadonlyMap<number, string>;
}

export interface ObjectRules {
  /** Deprecated attribute → what the schema says instead (its description). */
  deprecated: ReadonlyMap<string, string>;
  enums: readonly EnumRule[];
  /** Attribute → rules of the object it holds (or of each element, for an array of objects). */
  children: ReadonlyMap<string, ObjectRules>;
}

export interface RecommendedAttribute {
  name: string;
  /** The profile the attribute belongs to; undefined for the class's own attributes. */
  profile?: string;
}

export interface ClassRules {
  classUid: OcsfClassUid;
  root: ObjectRules;
  recommended: readonly RecommendedAttribute[];
  /** Whether a dotted attribute name (an observable's `name`) names an attribute of the class. */
  hasAttributePath(name: string): boolean;
}

type SchemaNode = Record<string, unknown> & {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  $ref?: string;
  enum?: unknown[];
  const?: unknown;
  description?: string;
  deprecated?: boolean;
};

const VALUES = /Values: (.*)$/s;
const CAPTION = /^(-?\d+) = (.+)$/;

/** "Values: 0 = Unknown; 1 = User; 99 = Other." → {0 → Unknown, 1 → User, 99 → Other}, or undefined. */
export function parseCaptions(description: string | undefined): Map<number, string> | undefined {
  const m = description ? VALUES.exec(description) : null;
  if (!m) return undefined;
  const text = m[1].endsWith('.') ? m[1].slice(0, -1) : m[1];
  const out = new Map<number, string>();
  for (const part of text.split('; ')) {
    const c = CAPTION.exec(part);
    if (!c) return undefined; // not a list of integer captions (string enums, units): no rule
    out.set(Number(c[1]), c[2]);
  }
  return out;
}

function integerValues(node: SchemaNode): number[] | undefined {
  if (typeof node.const === 'number') return [node.const];
  if (Array.isArray(node.enum) && node.enum.every((v) => typeof v === 'number')) return node.enum as number[];
  return undefined;
}

function siblingOf(key: string, properties: Record<string, SchemaNode>): string | undefined {
  const base = key.endsWith('_uid') ? key.slice(0, -4) : key.endsWith('_id') ? key.slice(0, -3) : undefined;
  if (base === undefined) return undefined;
  if (properties[base] && properties[base].type === 'string') return base;
  if (properties[`${base}_name`] && properties[`${base}_name`].type === 'string') return `${base}_name`;
  return undefined;
}

function defName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

function compileClass(classUid: OcsfClassUid, schema: SchemaNode, recommended: RecommendedAttribute[]): ClassRules {
  const defs = (schema.$defs ?? {}) as Record<string, SchemaNode>;
  const byDef = new Map<string, ObjectRules>();

  const objectRef = (node: SchemaNode): string | undefined => {
    const target = node.type === 'array' && node.items ? node.items : node;
    return typeof target.$ref === 'string' ? defName(target.$ref) : undefined;
  };

  const compileObject = (node: SchemaNode, name: string | undefined): ObjectRules => {
    const cached = name !== undefined ? byDef.get(name) : undefined;
    if (cached) return cached;
    const deprecated = new Map<string, string>();
    const enums: EnumRule[] = [];
    const children = new Map<string, ObjectRules>();
    const rules: ObjectRules = { deprecated, enums, children };
    if (name !== undefined) byDef.set(name, rules); // before the children: objects refer to themselves (user.manager)
    const properties = node.properties ?? {};
    for (const [key, prop] of Object.entries(properties)) {
      if (prop.deprecated === true) deprecated.set(key, prop.description ?? '');
      const values = integerValues(prop);
      const captions = values && parseCaptions(prop.description);
      if (values && captions && values.every((v) => captions.has(v))) {
        enums.push({ key, sibling: siblingOf(key, properties), captions });
      }
      const ref = objectRef(prop);
      if (ref !== undefined && defs[ref]?.properties && Object.keys(defs[ref].properties!).length) {
        children.set(key, compileObject(defs[ref], ref));
      }
    }
    return rules;
  };

  const root = compileObject(schema, undefined);
  const hasAttributePath = (dotted: string): boolean => {
    let node: SchemaNode | undefined = schema;
    for (const segment of dotted.split('.')) {
      const prop: SchemaNode | undefined = node?.properties?.[segment];
      if (!prop) return false;
      const ref = objectRef(prop);
      node = ref !== undefined ? defs[ref] : prop;
    }
    return true;
  };
  return { classUid, root, recommended, hasAttributePath };
}

/**
 * SUMMARY.md's class sections: "## <Caption> (<name>), class_uid N" followed by a table whose rows read
 * `attribute | requirement | type | profiles | enum ids`. Deprecated rows ("resource (deprecated)") are left out:
 * the server would warn about them whether present or absent, and their replacement is listed beside them.
 */
export function parseRecommended(summary: string): Map<number, RecommendedAttribute[]> {
  const out = new Map<number, RecommendedAttribute[]>();
  let current: RecommendedAttribute[] | undefined;
  for (const line of summary.split('\n')) {
    if (line.startsWith('## ')) {
      const m = /, class_uid (\d+),/.exec(line);
      current = m ? [] : undefined;
      if (m) out.set(Number(m[1]), current!);
      continue;
    }
    if (!current) continue;
    const cells = line.split(' | ');
    if (cells.length < 4 || cells[1] !== 'recommended' || cells[0].endsWith('(deprecated)')) continue;
    const profile = cells[3].trim();
    current.push(profile === '-' ? { name: cells[0] } : { name: cells[0], profile });
  }
  return out;
}

let cached: Map<number, ClassRules> | undefined;

/** Rules of the six classes this package emits; derived once per process (tens of milliseconds). */
export function semanticRules(): ReadonlyMap<number, ClassRules> {
  if (cached) return cached;
  const recommended = parseRecommended(fs.readFileSync(path.join(SCHEMA_DIR, 'SUMMARY.md'), 'utf8'));
  const rules = new Map<number, ClassRules>();
  for (const uid of Object.keys(CLASS_INFO).map(Number) as OcsfClassUid[]) {
    const list = recommended.get(uid);
    if (!list) throw new Error(`SUMMARY.md has no attribute table for class_uid ${uid}`);
    rules.set(uid, compileClass(uid, loadSchema(uid) as SchemaNode, list));
  }
  cached = rules;
  return rules;
}
