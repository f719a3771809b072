import { TenantModel } from '../../graph-simulator/src/tenant-model';
import { mapRecord } from '../src';
import { observablesOf } from '../src/observables';
import { recordsOf } from './helpers';

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
