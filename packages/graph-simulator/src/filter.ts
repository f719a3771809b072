/**
 * The subset of OData $filter that Graph accepts on the activity reports: one date-time property compared
 * with ge/gt/le/lt/eq (unquoted ISO values), string properties with eq or startswith, clauses joined with `and`.
 * Anything else is rejected the way Graph rejects it: 400 "Invalid filter clause".
 */
import { isoToTicks } from './time';

export interface ParsedFilter {
  /** Inclusive tick bounds on the time property. */
  fromTicks: number;
  toTicks: number;
  equals: Record<string, string>;
  startsWith: Record<string, string>;
}

export interface FilterSpec {
  timeProperty: string;
  stringProperties: readonly string[];
}

export class InvalidFilter extends Error {}

const COMPARISON = /^([A-Za-z/]+)\s+(eq|ge|gt|le|lt)\s+(.+)$/i;
const STARTSWITH = /^startswith\(\s*([A-Za-z/]+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i;
const QUOTED = /^'((?:[^']|'')*)'$/;

/** Splits on ` and ` outside quoted strings. */
function splitClauses(filter: string): string[] {
  const clauses: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < filter.length; i++) {
    const ch = filter[i];
    if (ch === "'") quoted = !quoted;
    const separator = !quoted && /\s/.test(ch) ? /^\s+and\s+/i.exec(filter.slice(i)) : null;
    if (separator) {
      clauses.push(current);
      current = '';
      i += separator[0].length - 1;
      continue;
    }
    current += ch;
  }
  if (quoted) throw new InvalidFilter('unterminated string literal');
  clauses.push(current);
  return clauses.map((c) => c.trim());
}

export function parseFilter(filter: string | undefined, spec: FilterSpec): ParsedFilter {
  const parsed: ParsedFilter = { fromTicks: -Infinity, toTicks: Infinity, equals: {}, startsWith: {} };
  if (filter === undefined || filter.trim() === '') return parsed;
  for (const clause of splitClauses(filter.trim())) {
    const sw = STARTSWITH.exec(clause);
    if (sw) {
      const prop = spec.stringProperties.find((p) => p.toLowerCase() === sw[1].toLowerCase());
      if (!prop) throw new InvalidFilter(`startswith is not supported on ${sw[1]}`);
      parsed.startsWith[prop] = sw[2].replace(/''/g, "'");
      continue;
    }
    const cmp = COMPARISON.exec(clause);
    if (!cmp) throw new InvalidFilter(`unsupported clause "${clause}"`);
    const [, name, opRaw, value] = cmp;
    const op = opRaw.toLowerCase();
    if (name.toLowerCase() === spec.timeProperty.toLowerCase()) {
      const ticks = isoToTicks(value.trim());
      if (ticks === undefined) throw new InvalidFilter(`${name} needs an unquoted ISO 8601 date-time`);
      if (op === 'ge' || op === 'eq') parsed.fromTicks = Math.max(parsed.fromTicks, ticks);
      if (op === 'gt') parsed.fromTicks = Math.max(parsed.fromTicks, ticks + 1);
      if (op === 'le' || op === 'eq') parsed.toTicks = Math.min(parsed.toTicks, ticks);
      if (op === 'lt') parsed.toTicks = Math.min(parsed.toTicks, ticks - 1);
      continue;
    }
    const prop = spec.stringProperties.find((p) => p.toLowerCase() === name.toLowerCase());
    const quoted = QUOTED.exec(value.trim());
    if (!prop || op !== 'eq' || !quoted) throw new InvalidFilter(`unsupported clause "${clause}"`);
    parsed.equals[prop] = quoted[1].replace(/''/g, "'");
  }
  return parsed;
}
