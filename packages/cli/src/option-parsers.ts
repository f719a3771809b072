import { InvalidArgumentError } from 'commander';

/** Option parsers that turn bad values into usage errors naming the option. */
export function parseIntOption(name: string, min = 0): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got "${value}"`);
    return n;
  };
}

export function parseNumberOption(name: string, min = 0): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new InvalidArgumentError(`${name} must be a number >= ${min}, got "${value}"`);
    return n;
  };
}

export function parseIsoOption(name: string): (value: string) => string {
  return (value: string) => {
    const t = Date.parse(value);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(t)) {
      throw new InvalidArgumentError(`${name} must be an ISO 8601 date-time like 2026-11-01T00:00:00Z, got "${value}"`);
    }
    return new Date(t).toISOString();
  };
}
