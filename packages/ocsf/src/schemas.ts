import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLASS_INFO, type OcsfClassUid } from './classes';

/** The shipped OCSF 1.8.0 JSON Schemas: beside src/ and dist/, so the same path works under jest and when built. */
export const SCHEMA_DIR = path.join(__dirname, '..', 'schemas', '1.8.0');

export function schemaPath(classUid: OcsfClassUid): string {
  return path.join(SCHEMA_DIR, `${CLASS_INFO[classUid].name}.schema.json`);
}

export function loadSchema(classUid: OcsfClassUid): Record<string, unknown> {
  const file = schemaPath(classUid);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}
