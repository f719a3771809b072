/**
 * Recursive JSON shape comparison: every property the reference has must exist in the actual value with the
 * same JSON type, at every level. `null` on either side is compatible with any type (Graph writes null for
 * absent optional values). Arrays compare each actual element with the reference's first element.
 */
export type JsonType = 'null' | 'string' | 'number' | 'boolean' | 'array' | 'object';

export function jsonType(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as JsonType;
}

export interface ShapeOptions {
  /** Also fail on properties the reference does not have. */
  exact?: boolean;
  /** Property names to compare case-insensitively (Microsoft's samples sometimes write `Type`). */
  caseInsensitive?: boolean;
  /** Paths (like `value[].initiatedBy.app`) whose content is not compared. */
  ignore?: string[];
}

export function shapeDifferences(reference: unknown, actual: unknown, opts: ShapeOptions = {}, path = '$'): string[] {
  if (opts.ignore?.includes(path)) return [];
  const rt = jsonType(reference);
  const at = jsonType(actual);
  if (rt === 'null' || at === 'null') return [];
  if (rt !== at) return [`${path}: expected ${rt}, got ${at}`];
  if (rt === 'array') {
    const ref = reference as unknown[];
    if (ref.length === 0) return [];
    return (actual as unknown[]).flatMap((item) => shapeDifferences(ref[0], item, opts, `${path}[]`));
  }
  if (rt !== 'object') return [];
  const ref = reference as Record<string, unknown>;
  const act = actual as Record<string, unknown>;
  const norm = (k: string): string => (opts.caseInsensitive ? k.toLowerCase() : k);
  const actualKeys = new Map(Object.keys(act).map((k) => [norm(k), k]));
  const diffs: string[] = [];
  for (const key of Object.keys(ref)) {
    const actualKey = actualKeys.get(norm(key));
    if (actualKey === undefined) diffs.push(`${path}.${key}: missing`);
    else diffs.push(...shapeDifferences(ref[key], act[actualKey], opts, `${path}.${key}`));
  }
  if (opts.exact) {
    const refKeys = new Set(Object.keys(ref).map(norm));
    for (const key of Object.keys(act)) if (!refKeys.has(norm(key))) diffs.push(`${path}.${key}: not in the reference`);
  }
  return diffs;
}
