import { SEMANTIC_ALLOW_LIST, type AllowedFinding } from './semantic-allow-list';
import { semanticRules, type ClassRules, type ObjectRules } from './semantic-rules';

/**
 * The OCSF server validator's semantic checks, beside the JSON Schema check (which the schemas cannot express):
 * deprecated attributes, every `*_id` label against its caption, `type_name` against `type_uid`, recommended
 * attributes of the class (those of the event's profiles included), and observables that name real attributes and
 * carry the value found there. Warnings, except an observable naming no attribute (an error for the server too).
 *
 * Not on the worker's hot path: `map` and the tests run it. Rules are derived once per process (semantic-rules.ts).
 */
export type SemanticCode =
  | 'attribute_deprecated'
  | 'attribute_enum_sibling_incorrect'
  | 'attribute_enum_sibling_suspicious_other'
  | 'attribute_recommended_missing'
  | 'observable_name_invalid_reference'
  | 'observable_value_mismatch';

export interface SemanticFinding {
  level: 'error' | 'warning';
  code: SemanticCode;
  /** Dotted attribute path with array indexes, e.g. `auth_factors[0].factor_type`. */
  path: string;
  message: string;
  /** Set when a reviewed allow-list entry covers the finding: its reason. */
  allowed?: string;
}

export interface SemanticChecker {
  /** Every finding, allow-listed ones marked `allowed`. */
  check(event: unknown): SemanticFinding[];
}

const OTHER = 99;

export function createSemanticChecker(allowList: readonly AllowedFinding[] = SEMANTIC_ALLOW_LIST): SemanticChecker {
  const rules = semanticRules();
  return {
    check(event: unknown): SemanticFinding[] {
      if (!isObject(event) || typeof event.class_uid !== 'number') return [];
      const classRules = rules.get(event.class_uid);
      if (!classRules) return []; // an unknown class is the JSON Schema check's error
      const findings: SemanticFinding[] = [];
      visit(event, classRules.root, '', findings);
      recommended(event, classRules, findings);
      observables(event, classRules, findings);
      for (const f of findings) {
        const path = stripIndexes(f.path);
        const entry = allowList.find(
          (a) => a.classUid === event.class_uid && a.code === f.code && a.path === path &&
            (a.activityIds === undefined || a.activityIds.includes(event.activity_id as number)),
        );
        if (entry) f.allowed = entry.reason;
      }
      return findings;
    },
  };
}

/** The findings no allow-list entry covers. */
export function unexplained(findings: readonly SemanticFinding[]): SemanticFinding[] {
  return findings.filter((f) => f.allowed === undefined);
}

export function describeFinding(f: SemanticFinding): string {
  return `${f.level} ${f.code} at ${f.path}: ${f.message}`;
}

function visit(o: Record<string, unknown>, rules: ObjectRules, parent: string, out: SemanticFinding[]): void {
  for (const [key, replacement] of rules.deprecated) {
    if (o[key] !== undefined) {
      out.push({ level: 'warning', code: 'attribute_deprecated', path: join(parent, key), message: `deprecated: ${replacement}` });
    }
  }
  for (const rule of rules.enums) {
    const id = o[rule.key];
    if (typeof id !== 'number' || rule.sibling === undefined) continue;
    const label = o[rule.sibling];
    const caption = rule.captions.get(id);
    if (label === undefined || caption === undefined) continue; // an unknown id is the JSON Schema check's error
    if (id === OTHER && label === caption) {
      out.push({
        level: 'warning', code: 'attribute_enum_sibling_suspicious_other', path: join(parent, rule.sibling),
        message: `${rule.key} is 99 (Other): ${rule.sibling} should carry the source's own term, not "${caption}"`,
      });
    } else if (id !== OTHER && label !== caption) {
      out.push({
        level: 'warning', code: 'attribute_enum_sibling_incorrect', path: join(parent, rule.sibling),
        message: `${JSON.stringify(label)} does not match the caption of ${rule.key} ${id}: expected "${caption}"`,
      });
    }
  }
  for (const [key, child] of rules.children) {
    const v = o[key];
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (isObject(v[i])) visit(v[i] as Record<string, unknown>, child, `${join(parent, key)}[${i}]`, out);
    } else if (isObject(v)) {
      visit(v, child, join(parent, key), out);
    }
  }
}

function recommended(e: Record<string, unknown>, rules: ClassRules, out: SemanticFinding[]): void {
  const metadata = isObject(e.metadata) ? e.metadata : undefined;
  const profiles = Array.isArray(metadata?.profiles) ? (metadata!.profiles as unknown[]) : [];
  for (const attr of rules.recommended) {
    if (attr.profile !== undefined && !profiles.includes(attr.profile)) continue;
    if (e[attr.name] === undefined) {
      out.push({
        level: 'warning', code: 'attribute_recommended_missing', path: attr.name,
        message: `recommended by class ${rules.classUid}${attr.profile ? ` (profile ${attr.profile})` : ''}, not set`,
      });
    }
  }
}

function observables(e: Record<string, unknown>, rules: ClassRules, out: SemanticFinding[]): void {
  const list = e.observables;
  if (!Array.isArray(list)) return;
  list.forEach((item, i) => {
    if (!isObject(item) || typeof item.name !== 'string') return;
    const where = `observables[${i}].name`;
    if (!rules.hasAttributePath(item.name)) {
      out.push({
        level: 'error', code: 'observable_name_invalid_reference', path: where,
        message: `"${item.name}" is not an attribute of class ${rules.classUid}`,
      });
      return;
    }
    if (item.value !== undefined && !valuesAt(e, item.name.split('.')).includes(String(item.value))) {
      out.push({
        level: 'warning', code: 'observable_value_mismatch', path: `observables[${i}].value`,
        message: `${JSON.stringify(item.value)} is not the value of ${item.name} in this event`,
      });
    }
  });
}

/** Every value at a dotted path, arrays flattened, as text. */
function valuesAt(v: unknown, segments: string[]): string[] {
  if (Array.isArray(v)) return v.flatMap((x) => valuesAt(x, segments));
  if (!segments.length) return v === undefined || v === null ? [] : [String(v)];
  return isObject(v) ? valuesAt(v[segments[0]], segments.slice(1)) : [];
}

function join(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function stripIndexes(p: string): string {
  return p.replace(/\[\d+\]/g, '');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
