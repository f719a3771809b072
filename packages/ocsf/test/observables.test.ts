import { TenantModel } from '../../graph-simulator/src/tenant-model';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAPPERS, mapRecord, parseRecords, type EntraSource, type OcsfEvent } from '../src';
import { OBSERVABLE_PATHS, observablesOf, type ObservablePathName } from '../src/observables';
import { FIXTURES, recordsOf } from './helpers';

/**
 * User inventory events list their observables directly (the hot path) instead of walking the common list: they
 * must be exactly what the common list gives, so observables.ts stays the one place the policy is written.
 */
test("a user event's own observables are the common list's", () => {
  const tenant = new TenantModel(3, { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', premium: true, clients: [], users: 120 });
  const records: unknown[] = [
    ...recordsOf('graph/users-delta-initial-response-example.json'),
    ...recordsOf('graph/users-delta-default-properties-example.json'),
    ...tenant.users.map(({ index: _index, ...u }) => u),
    { id: 'only-an-id' },
    { id: 'no-upn', mail: 'someone@contoso.com' },
  ];
  let compared = 0;
  for (const record of records) {
    for (const ctx of [{ observedTime: 1 }, { tenantId: 't', observedTime: 1 }]) {
      const e = mapRecord('users', record, ctx);
      expect(e.observables).toEqual(observablesOf({ ...e, observables: undefined }));
      compared++;
    }
  }
  expect(compared).toBeGreaterThan(200);
});

test('control: a differing list is caught', () => {
  const e = mapRecord('users', { id: 'u1', userPrincipalName: 'a@b.c', mail: 'a@b.c' }, { observedTime: 1 });
  expect(e.observables).not.toEqual(observablesOf({ ...e, observables: undefined, user: { uid: 'u1' } }));
});

/** Problems with an event's observables against the one list: a path not listed, a type not the listed one, a value not there. */
function offList(e: OcsfEvent): string[] {
  const problems: string[] = [];
  for (const ob of e.observables ?? []) {
    const listed = (OBSERVABLE_PATHS as Record<string, (typeof OBSERVABLE_PATHS)[ObservablePathName]>)[ob.name];
    if (!listed) {
      problems.push(`${ob.name}: not in OBSERVABLE_PATHS`);
      continue;
    }
    if (ob.type_id !== listed.kind.type_id || ob.type !== listed.kind.type) problems.push(`${ob.name}: typed ${ob.type_id} ${ob.type}`);
    const values = 'read' in listed ? [listed.read(e)] : ((listed.list(e) as Array<{ uid?: unknown }> | undefined) ?? []).map((x) => x.uid);
    if (!values.includes(ob.value)) problems.push(`${ob.name}: ${ob.value} is not what the path reads`);
  }
  return problems;
}

test('every observable of every source names a path of the one list, typed as listed, with the value the path reads', () => {
  const ctx = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', observedTime: 1 };
  const inputs: Array<[EntraSource, unknown]> = [];
  for (const file of fs.readdirSync(path.join(FIXTURES, 'graph'))) {
    const prefix = file.split('-')[0]!;
    const source = (prefix === 'directoryAudit' ? 'directoryAudits' : prefix) as EntraSource;
    if (source in MAPPERS) for (const r of parseRecords(fs.readFileSync(path.join(FIXTURES, 'graph', file), 'utf8'))) inputs.push([source, r]);
  }
  for (const r of parseRecords(fs.readFileSync(path.join(__dirname, 'corpus', 'directory-audits.json'), 'utf8'))) inputs.push(['directoryAudits', r]);
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const [source, record] of inputs) {
    let e: OcsfEvent;
    try {
      e = mapRecord(source, record, ctx);
    } catch {
      continue;
    }
    for (const ob of e.observables ?? []) seen.add(ob.name);
    problems.push(...offList(e).map((p) => `${source}: ${p}`));
  }
  expect(problems).toEqual([]);
  expect(seen.size).toBeGreaterThan(10);
});

test('control: an observable off the list, mistyped or pointing at nothing is caught', () => {
  const e = mapRecord('users', { id: 'u1', userPrincipalName: 'a@b.c' }, { observedTime: 1 });
  const [first] = e.observables!;
  expect(offList(e)).toEqual([]);
  expect(offList({ ...e, observables: [{ ...first!, name: 'user.full_name' }] })).toHaveLength(1);
  expect(offList({ ...e, observables: [{ ...first!, type_id: 5 }] })).toHaveLength(1);
  expect(offList({ ...e, observables: [{ ...first!, value: 'someone else' }] })).toHaveLength(1);
});
