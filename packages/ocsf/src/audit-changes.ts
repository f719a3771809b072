import { asObject, str, type Json } from './read';
import { decodeValue, type Target } from './targets';

/** Bounds on what one event carries of a target's modifiedProperties (the raw list stays in unmapped). */
const MAX_PROPERTIES = 20;
const MAX_VALUE_CHARS = 512;

export interface ChangedProperties {
  /** Old values by property name, or undefined when Graph gave none (an Add). */
  before: Json | undefined;
  after: Json;
}

/**
 * A target's modifiedProperties as before/after objects keyed by property name, values decoded from Graph's JSON
 * strings and cut to MAX_VALUE_CHARS, at most MAX_PROPERTIES of them: enough to see what changed without letting a
 * 100 kB certificate list make every event that size. Undefined when the target changed nothing.
 */
export function changedProperties(t: Target): ChangedProperties | undefined {
  const props = t.modifiedProperties;
  if (!props || props.length === 0) return undefined;
  let before: Json | undefined;
  const after: Json = {};
  let count = 0;
  for (const p of props) {
    const prop = asObject(p);
    const name = prop && str(prop.displayName);
    if (!prop || name === undefined || name === 'Included Updated Properties') continue;
    if (count++ === MAX_PROPERTIES) break;
    const oldValue = bounded(decodeValue(prop.oldValue));
    const newValue = bounded(decodeValue(prop.newValue));
    if (oldValue !== undefined) (before ??= {})[name] = oldValue;
    after[name] = newValue ?? null;
  }
  return count === 0 ? undefined : { before, after };
}

function bounded(v: string | undefined): string | undefined {
  return v !== undefined && v.length > MAX_VALUE_CHARS ? `${v.slice(0, MAX_VALUE_CHARS)}…` : v;
}
