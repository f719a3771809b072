/**
 * Tolerant readers for untrusted Graph JSON: a field of the wrong type reads as absent, so odd shapes (null where an
 * object is expected, numbers where strings are) degrade to "not given" instead of throwing mid-mapping.
 */
export type Json = Record<string, unknown>;

export function asObject(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

export function asArray(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** A non-empty string, or undefined: Graph writes "" and null interchangeably for "no value". */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

export function finiteNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Copies the keys of `source` that are not in `known` into `into` (creating it on first use); returns `into`. */
export function collectUnknownKeys(source: Json, known: ReadonlySet<string>, into: Json | undefined): Json | undefined {
  for (const key in source) {
    if (known.has(key)) continue;
    const value = source[key];
    if (value === undefined) continue;
    (into ??= {})[key] = value;
  }
  return into;
}

/** IPv4/IPv6 text as OCSF's ip_t allows (at most 40 characters); anything else is not an address. */
export function ipAddress(v: unknown): string | undefined {
  const s = str(v);
  return s !== undefined && s.length <= 40 ? s : undefined;
}
