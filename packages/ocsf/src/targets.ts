import { asArray, asObject, str, type Json } from './read';

/** One `targetResources` entry, read once: its type lower-cased for matching (Graph writes `type` or `Type`). */
export interface Target {
  type: string | undefined;
  typeKey: string;
  id: string | undefined;
  displayName: string | undefined;
  userPrincipalName: string | undefined;
  groupType: string | undefined;
  modifiedProperties: unknown[] | undefined;
}

export function readTargets(value: unknown): Target[] {
  const list = asArray(value);
  if (!list) return [];
  const out: Target[] = [];
  for (const item of list) {
    const t = asObject(item);
    if (!t) continue;
    const type = str(t.type) ?? str(t.Type);
    out.push({
      type,
      typeKey: type ? type.toLowerCase() : '',
      id: str(t.id),
      displayName: str(t.displayName),
      userPrincipalName: str(t.userPrincipalName),
      groupType: str(t.groupType),
      modifiedProperties: asArray(t.modifiedProperties),
    });
  }
  return out;
}

/** The first target whose type is one of `typeKeys` (lower-case), skipping `except`. */
export function findByType(targets: Target[], typeKeys: readonly string[], except?: Target): Target | undefined {
  for (const key of typeKeys) {
    for (const t of targets) if (t !== except && t.typeKey === key) return t;
  }
  return undefined;
}

/** A target that identifies something (an id or a name). */
export function identifies(t: Target | undefined): t is Target {
  return t !== undefined && (t.id !== undefined || t.displayName !== undefined || t.userPrincipalName !== undefined);
}

/**
 * The new value of a modified property (by its displayName, case-insensitive) on one target. Graph JSON-encodes
 * the values ("\"Sales\"", "[true]"); strings are decoded, other JSON is returned as its text.
 */
export function modifiedValue(t: Target, name: string, which: 'newValue' | 'oldValue' = 'newValue'): string | undefined {
  const props = t.modifiedProperties;
  if (!props) return undefined;
  const key = name.toLowerCase();
  for (const p of props) {
    const prop = asObject(p);
    if (!prop) continue;
    const displayName = str(prop.displayName);
    if (displayName === undefined || displayName.toLowerCase() !== key) continue;
    return decodeValue(prop[which]);
  }
  return undefined;
}

/** The same property looked up on every target, first found. */
export function anyModifiedValue(targets: Target[], name: string): string | undefined {
  for (const t of targets) {
    const v = modifiedValue(t, name);
    if (v !== undefined) return v;
  }
  return undefined;
}

export function decodeValue(raw: unknown): string | undefined {
  const s = str(raw);
  if (s === undefined) return undefined;
  if (s.charCodeAt(0) === 34 /* " */ && s.charCodeAt(s.length - 1) === 34 && s.length >= 2) {
    try {
      const decoded: unknown = JSON.parse(s);
      return str(decoded);
    } catch {
      return s;
    }
  }
  return s;
}

export function targetName(t: Target): string | undefined {
  return t.displayName ?? t.userPrincipalName;
}

export type { Json };
