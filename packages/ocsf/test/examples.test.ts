import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, readFixture, validator } from './helpers';

/** The shared OCSF examples must behave as their manifest says under our validator (Ajv 2020, strict). */
const manifest = readFixture('examples/manifest.json') as Record<string, { schema: string; valid: boolean; expected_failing_keyword?: string }>;

test('the manifest lists every example file', () => {
  const files = fs.readdirSync(path.join(FIXTURES, 'examples')).filter((f) => f !== 'manifest.json').sort();
  expect(Object.keys(manifest).sort()).toEqual(files);
});

test.each(Object.entries(manifest))('%s', (file, expected) => {
  const event = readFixture(`examples/${file}`) as { class_uid: number };
  // The validator picks the schema by class_uid: it must be the schema the manifest names.
  expect(expected.schema.startsWith(classFile(event.class_uid))).toBe(true);
  const result = validator().validate(event);
  expect(result.valid).toBe(expected.valid);
  // The keyword is the reported one or, for profile rules, the rule in the schema path that failed.
  if (!result.valid) expect(result.errors.join('\n')).toMatch(new RegExp(`(^|\\n)[^\\n]*(: ${expected.expected_failing_keyword}:|/${expected.expected_failing_keyword}/)`));
});

function classFile(uid: number): string {
  return { 3001: 'account_change', 3002: 'authentication', 3004: 'entity_management', 3005: 'user_access', 3006: 'group_management', 5003: 'user_inventory' }[uid] ?? '?';
}

test('an event of a class we do not emit is rejected, not passed', () => {
  const result = validator().validate({ class_uid: 4001 });
  expect(result.valid).toBe(false);
});
