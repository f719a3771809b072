import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import standaloneCode from 'ajv/dist/standalone';
import { CLASS_INFO, type OcsfClassUid } from './classes';
import { loadSchema, schemaPath } from './schemas';
import { shareDefs } from './shared-defs';

/**
 * The validators as code generated at build time (Ajv standalone), beside src/ and dist/ like the schemas. Compiling
 * the six large schemas at start-up took seconds and left ~100 MB of Ajv's compiler state in every worker; loading
 * the generated code takes a fraction of both.
 */
export const VALIDATOR_DIR = path.join(__dirname, '..', 'validators');

/** fast: stops at the first error (the valid path, nearly every event); full: allErrors, to describe a failure. */
export type ValidatorKind = 'fast' | 'full';

export type ValidatorsByClass = Map<number, ValidateFunction>;

const classUids = (): OcsfClassUid[] => Object.keys(CLASS_INFO).map(Number) as OcsfClassUid[];
const exportName = (uid: number): string => `class${uid}`;

/**
 * How the code is laid out; part of the digest, so a change here regenerates it. Objects are compiled once for all
 * classes (shared-defs.ts) and called rather than inlined where referenced: inlining copied each object into every
 * place that uses it, and the resulting giant functions were too large for V8 to optimise (validation took ~2× as
 * long).
 */
const LAYOUT = 'shared-defs, inlineRefs off';

function ajvFor(kind: ValidatorKind, source: boolean): Ajv2020 {
  // The schemas use no `format`, so no formats plugin.
  return new Ajv2020({ strict: true, allErrors: kind === 'full', inlineRefs: false, ...(source ? { code: { source: true } } : {}) });
}

/** An Ajv holding the shared objects schema and every class schema, the class under exportName(uid). */
function ajvWithClasses(kind: ValidatorKind, source: boolean): Ajv2020 {
  const ajv = ajvFor(kind, source);
  const uids = classUids();
  const shared = shareDefs(uids.map((uid) => loadSchema(uid)));
  ajv.addSchema(shared.objects);
  shared.classes.forEach((schema, i) => ajv.addSchema(schema, exportName(uids[i]!)));
  return ajv;
}

/** What generated code must match to be used: the schema files, the class list, Ajv's version and the kind. */
export function validatorDigest(kind: ValidatorKind): string {
  const h = crypto.createHash('sha256');
  h.update(`${kind}\0ajv ${(require('ajv/package.json') as { version: string }).version}\0${LAYOUT}\0`);
  for (const uid of classUids()) h.update(`${uid}\0`).update(fs.readFileSync(schemaPath(uid))).update('\0');
  return h.digest('hex');
}

/** Generated CommonJS exporting one validator per class_uid and the digest it was generated from. */
export function generateValidatorCode(kind: ValidatorKind): string {
  const ajv = ajvWithClasses(kind, true);
  const refs = Object.fromEntries(classUids().map((uid) => [exportName(uid), exportName(uid)]));
  return `${standaloneCode(ajv, refs)}\nexports.digest = ${JSON.stringify(validatorDigest(kind))};\n`;
}

/** Writes validators/<kind>.js unless the file there already matches the digest. Returns whether it wrote. */
export function writeValidatorCode(kind: ValidatorKind, dir = VALIDATOR_DIR): boolean {
  const file = path.join(dir, `${kind}.js`);
  if (generatedDigest(file) === validatorDigest(kind)) return false;
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, generateValidatorCode(kind));
  fs.renameSync(tmp, file);
  return true;
}

function generatedDigest(file: string): string | undefined {
  try {
    // The digest is the file's last line: no need to load megabytes of code to compare it.
    return /exports\.digest = "([0-9a-f]+)";\s*$/.exec(fs.readFileSync(file, 'utf8').slice(-200))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * The validators of one kind: the generated code when it matches the schemas and Ajv in use, else compiled now (a
 * tree not yet built, or schemas changed since the build) — same checks, only slower to start and larger.
 */
export function loadValidators(kind: ValidatorKind, dir = VALIDATOR_DIR): { byClass: ValidatorsByClass; prebuilt: boolean } {
  const file = path.join(dir, `${kind}.js`);
  if (generatedDigest(file) === validatorDigest(kind)) {
    const mod = require(file) as Record<string, ValidateFunction>;
    return { byClass: new Map(classUids().map((uid) => [uid, mod[exportName(uid)]!])), prebuilt: true };
  }
  const ajv = ajvWithClasses(kind, false);
  return { byClass: new Map(classUids().map((uid) => [uid, ajv.getSchema(exportName(uid))!])), prebuilt: false };
}
