import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { createEventValidator, mapRecord, type EntraSource, type OcsfEvent } from '../src';
import type { OcsfClassUid } from '../src/classes';
import { VALIDATOR_DIR, loadValidators, validatorDigest, type ValidatorKind } from '../src/compiled-validators';
import { loadSchema } from '../src/schemas';
import { OBJECTS_SCHEMA_ID, shareDefs } from '../src/shared-defs';
import { recordsOf } from './helpers';

// The validators the build generates (Ajv standalone code) must judge every event exactly as Ajv compiling the same
// schemas at run time does, errors included; and generated code that no longer matches the schemas must not be used.

// Compiling the schemas at run time (the reference) takes seconds per kind, more on a loaded machine.
jest.setTimeout(180_000);

const ctx = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', observedTime: Date.parse('2026-11-01T12:00:00Z') };
const corpus = (JSON.parse(fs.readFileSync(path.join(__dirname, 'corpus/directory-audits.json'), 'utf8')) as { value: Record<string, unknown>[] }).value;
const fixtures: [EntraSource, string][] = [
  ['signIns', 'graph/signIns-list-example.json'], ['signIns', 'graph/signIns-beta-list-failure-50126-example.json'],
  ['users', 'graph/users-delta-initial-response-example.json'], ['users', 'graph/users-delta-default-properties-example.json'],
];
const valid: OcsfEvent[] = [
  ...corpus.map((r) => mapRecord('directoryAudits', r, ctx)),
  ...fixtures.flatMap(([source, file]) => recordsOf(file).map((r) => mapRecord(source, r, ctx))),
];
/** Broken copies of events of each class: a missing required field, a wrong type, an unknown field, a bad enum. */
const broken: unknown[] = [...new Map(valid.map((e) => [e.class_uid, e])).values()].flatMap((e) => {
  const copy = (): Record<string, unknown> => JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
  const noTime = copy();
  delete noTime.time;
  return [
    noTime,
    { ...copy(), severity_id: 'high' },
    { ...copy(), not_an_ocsf_field: 1 },
    { ...copy(), activity_id: 4242, metadata: { ...(e.metadata as object), version: 7 } },
  ];
});

/** The kind's generated file copied to a scratch folder (beside the package, so its requires resolve). */
function scratchCopy(kind: ValidatorKind, edit: (code: string) => string): string {
  const dir = path.join(__dirname, '..', '.test-tmp', `validators-${kind}-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${kind}.js`), edit(fs.readFileSync(path.join(VALIDATOR_DIR, `${kind}.js`), 'utf8')));
  return dir;
}

afterAll(() => fs.rmSync(path.join(__dirname, '..', '.test-tmp'), { recursive: true, force: true }));

it('the build generated the validators for the schemas in the tree, and the event validator uses them', () => {
  expect(createEventValidator().prebuilt).toBe(true);
});

it.each(['fast', 'full'] as const)('generated %s validators judge valid and broken events as Ajv compiling at run time does', (kind) => {
  const generated = loadValidators(kind);
  expect(generated.prebuilt).toBe(true);
  // Control: the same code with another digest is stale, so it is not used and the schemas are compiled instead.
  const stale = loadValidators(kind, scratchCopy(kind, (code) => code.replace(validatorDigest(kind), '0'.repeat(64))));
  expect(stale.prebuilt).toBe(false);
  expect(broken.length).toBeGreaterThanOrEqual(12);
  for (const event of [...valid, ...broken]) {
    const uid = (event as { class_uid: number }).class_uid;
    const [a, b] = [generated.byClass.get(uid)!, stale.byClass.get(uid)!];
    const verdict = a(event);
    expect(verdict).toBe(b(event));
    expect(a.errors ?? null).toEqual(b.errors ?? null);
  }
  // Every mapped event is valid and every broken one is not (so the comparison above covered both paths).
  expect(valid.every((e) => generated.byClass.get(e.class_uid)!(e))).toBe(true);
  expect(broken.filter((e) => generated.byClass.get((e as OcsfEvent).class_uid)!(e))).toEqual([]);
});

it('a failing event is described with every error found', () => {
  const v = createEventValidator();
  const e = { ...(broken[0] as object), not_an_ocsf_field: 1, severity_id: 'high' };
  const result = v.validate(e);
  expect(result.valid).toBe(false);
  expect(result.valid ? [] : result.errors.length).toBeGreaterThanOrEqual(3);
});

describe('objects compiled once for every class (shared-defs)', () => {
  const uids = [...new Set(valid.map((e) => e.class_uid))];
  const asShipped = (kind: ValidatorKind) => {
    // Reference: each class schema exactly as shipped, its own $defs inlined, compiled on its own.
    const ajv = new Ajv2020({ strict: true, allErrors: kind === 'full' });
    return new Map(uids.map((uid) => [uid, ajv.compile(loadSchema(uid as OcsfClassUid))]));
  };

  it.each(['fast', 'full'] as const)('%s: judge every event as the schemas compiled as shipped do, with the same errors where', (kind) => {
    const shipped = asShipped(kind);
    const shared = loadValidators(kind).byClass;
    for (const event of [...valid, ...broken]) {
      const uid = (event as { class_uid: number }).class_uid;
      const [a, b] = [shared.get(uid)!, shipped.get(uid)!];
      expect(a(event)).toBe(b(event));
      const where = (errors: typeof a.errors) => (errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`).sort();
      expect(where(a.errors)).toEqual(where(b.errors));
    }
  });

  it('moves every class\'s $defs into one objects schema and refuses classes that define an object differently', () => {
    const schemas = uids.map((uid) => loadSchema(uid as OcsfClassUid));
    const { objects, classes } = shareDefs(schemas);
    expect(Object.keys(objects.$defs as object).length).toBeGreaterThan(100);
    const text = JSON.stringify(classes);
    expect(text).not.toContain('"$defs"');
    expect(text).not.toContain('"#/$defs/');
    expect(text).toContain(`"${OBJECTS_SCHEMA_ID}#/$defs/user"`);
    // Control: one class with its own idea of an object.
    const odd = JSON.parse(JSON.stringify(schemas[1])) as { $defs: Record<string, { description?: string }> };
    odd.$defs.user!.description = 'not the same user';
    expect(() => shareDefs([schemas[0]!, odd])).toThrow(/\$defs\/user differs between .+ and /);
  });
});
