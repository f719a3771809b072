import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEventValidator, type EventValidator } from '../src';

export const FIXTURES = path.join(__dirname, 'fixtures');

export function readFixture(rel: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, rel), 'utf8'));
}

/** Records of a Graph page fixture (`value`) or the single record a fixture holds. */
export function recordsOf(rel: string): Record<string, unknown>[] {
  const doc = readFixture(rel) as { value?: Record<string, unknown>[] };
  return Array.isArray(doc.value) ? doc.value : [doc as Record<string, unknown>];
}

let shared: EventValidator | undefined;
/** Compiling the six schemas takes seconds: one validator per test file. */
export function validator(): EventValidator {
  return (shared ??= createEventValidator());
}

export function expectValid(event: unknown): void {
  const result = validator().validate(event);
  if (!result.valid) throw new Error(`invalid OCSF event:\n${result.errors.join('\n')}\n${JSON.stringify(event, null, 2)}`);
}
