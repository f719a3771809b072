import fc from 'fast-check';
import { MappingError, mapRecord, serializeEvent, type EntraSource } from '../src';
import { validator } from './helpers';
import { VERB_ACTIONS, verbOf } from '../src/audit-vocabulary';

/** Odd but plausible values: nulls where objects go, wrong types, non-ASCII and very long strings. */
const oddString = fc.oneof(
  fc.string(),
  fc.constantFrom('Zoë Ångström', '山田太郎', 'عمر', '🙂 emoji', ''),
  fc.string({ minLength: 5000, maxLength: 20000 }),
);
const odd = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), oddString, fc.constant({}), fc.constant([]));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, odd);
const time = fc.oneof(fc.constant('2026-03-02T09:15:27.4861234Z'), fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString()), odd);

const target = fc.record(
  {
    id: maybe(fc.uuid()),
    displayName: maybe(oddString),
    userPrincipalName: maybe(oddString),
    type: maybe(fc.constantFrom('User', 'Group', 'ServicePrincipal', 'Role', 'Policy', 'Device', 'Directory', 'Other', 'N/A', 'weird')),
    Type: maybe(fc.constantFrom('User', 'Group', 'ServicePrincipal')),
    groupType: maybe(oddString),
    modifiedProperties: maybe(fc.array(fc.record({ displayName: maybe(fc.constantFrom('Group.DisplayName', 'Group.ObjectID', 'AccountEnabled', 'Role.DisplayName', 'AppRole.Value')), oldValue: maybe(oddString), newValue: maybe(fc.oneof(oddString, fc.constant('"Sales"'), fc.constant('[false]'))) }), { maxLength: 3 })),
  },
  { requiredKeys: [] },
);

const audit = fc.record(
  {
    id: maybe(fc.string({ minLength: 1 })),
    category: maybe(fc.constantFrom('UserManagement', 'GroupManagement', 'RoleManagement', 'ApplicationManagement', 'Policy', 'NoSuchCategory', 'constructor', '__proto__')),
    correlationId: maybe(fc.uuid()),
    result: maybe(fc.constantFrom('success', 'failure', 'timeout', 'unknownFutureValue')),
    resultReason: maybe(oddString),
    activityDisplayName: maybe(fc.constantFrom('Add member to group', 'Add user', 'Add member to role', 'Consent to application', 'Update user', 'Add delegated permission grant', 'Something brand new', 'toString')),
    activityDateTime: time,
    loggedByService: maybe(oddString),
    operationType: maybe(oddString),
    initiatedBy: maybe(fc.record({ user: maybe(fc.record({ id: maybe(fc.uuid()), userPrincipalName: maybe(oddString), ipAddress: maybe(fc.oneof(fc.ipV4(), fc.ipV6(), oddString)) }, { requiredKeys: [] })), app: maybe(fc.record({ appId: maybe(fc.uuid()), displayName: maybe(oddString), servicePrincipalId: maybe(fc.uuid()) }, { requiredKeys: [] })) }, { requiredKeys: [] })),
    targetResources: maybe(fc.array(target, { maxLength: 4 })),
    additionalDetails: maybe(fc.array(fc.record({ key: oddString, value: oddString }), { maxLength: 2 })),
  },
  { requiredKeys: [] },
);

const signIn = fc.record(
  {
    id: maybe(fc.uuid()),
    createdDateTime: time,
    userId: maybe(fc.uuid()),
    userPrincipalName: maybe(oddString),
    servicePrincipalId: maybe(fc.uuid()),
    appId: maybe(fc.uuid()),
    appDisplayName: maybe(oddString),
    resourceId: maybe(fc.uuid()),
    ipAddress: maybe(fc.oneof(fc.ipV4(), fc.ipV6(), oddString)),
    status: maybe(fc.record({ errorCode: maybe(fc.oneof(fc.constant(0), fc.integer())), failureReason: maybe(oddString) }, { requiredKeys: [] })),
    location: maybe(fc.record({ city: maybe(oddString), countryOrRegion: maybe(oddString), geoCoordinates: maybe(fc.record({ latitude: maybe(fc.double()), longitude: maybe(fc.double()) }, { requiredKeys: [] })) }, { requiredKeys: [] })),
    deviceDetail: maybe(fc.record({ deviceId: maybe(oddString), operatingSystem: maybe(oddString) }, { requiredKeys: [] })),
    riskLevelDuringSignIn: maybe(fc.constantFrom('none', 'low', 'medium', 'high', 'hidden')),
    conditionalAccessStatus: maybe(fc.constantFrom('success', 'failure', 'notApplied')),
    appliedConditionalAccessPolicies: maybe(fc.array(fc.record({ id: maybe(fc.uuid()), displayName: maybe(oddString), result: maybe(fc.constantFrom('success', 'failure', 'notEnabled')) }, { requiredKeys: [] }), { maxLength: 3 })),
    authenticationDetails: maybe(fc.array(fc.record({ authenticationMethod: maybe(fc.constantFrom('Password', 'Text message', 'FIDO2 security key', 'Carrier pigeon')) }, { requiredKeys: [] }), { maxLength: 3 })),
    isInteractive: maybe(fc.boolean()),
  },
  { requiredKeys: [] },
);

const user = fc.record(
  {
    id: maybe(fc.uuid()),
    userPrincipalName: maybe(oddString),
    displayName: maybe(oddString),
    accountEnabled: maybe(fc.boolean()),
    jobTitle: maybe(oddString),
    manager: maybe(fc.record({ id: maybe(fc.uuid()), displayName: maybe(oddString) }, { requiredKeys: [] })),
    '@removed': maybe(fc.record({ reason: fc.constantFrom('changed', 'deleted') })),
  },
  { requiredKeys: [] },
);

function check(source: EntraSource, record: unknown): void {
  let event;
  try {
    event = mapRecord(source, record, { tenantId: 'tenant-1', observedTime: 1_700_000_000_000 });
  } catch (err) {
    if (err instanceof MappingError) return; // an unusable record is reported, never a crash
    throw err;
  }
  const result = validator().validate(event);
  if (!result.valid) throw new Error(`${result.errors.join('\n')}\n${JSON.stringify(event).slice(0, 3000)}`);
  // Deterministic: the same record (even a structural copy) gives the same bytes.
  const again = mapRecord(source, JSON.parse(JSON.stringify(record)), { tenantId: 'tenant-1', observedTime: 1_700_000_000_000 });
  expect(serializeEvent(again)).toBe(serializeEvent(event));
}

const runs = { numRuns: 300 };

test('directoryAudits of odd shapes: a valid event or a MappingError', () => {
  fc.assert(fc.property(fc.oneof(audit, odd), (r) => check('directoryAudits', r)), runs);
});

test('signIns of odd shapes: a valid event or a MappingError', () => {
  fc.assert(fc.property(fc.oneof(signIn, odd), (r) => check('signIns', r)), runs);
});

test('users of odd shapes: a valid event or a MappingError', () => {
  fc.assert(fc.property(fc.oneof(user, odd), (r) => check('users', r)), runs);
});

// Names without a verb the rules know (random strings can be one: fast-check likes "apply").
const unknownName = oddString.filter((n) => VERB_ACTIONS[verbOf(n.toLowerCase())] === undefined);

test('unknown activities never fail when the record names a target', () => {
  fc.assert(
    fc.property(unknownName, fc.oneof(oddString, fc.constant(undefined)), (name, category) => {
      const e = mapRecord('directoryAudits', {
        id: 'x', activityDateTime: '2026-01-01T00:00:00Z', activityDisplayName: name, category,
        targetResources: [{ id: 't', type: 'Mystery' }],
      }) as any;
      expect(e.activity_id).toBe(99);
      expect([3001, 3004, 3005, 3006]).toContain(e.class_uid);
      expect(validator().validate(e)).toEqual({ valid: true });
    }),
    { numRuns: 200 },
  );
});

test('the filter above is needed: a bare verb such as "Apply" gets its activity, not Other', () => {
  const e = mapRecord('directoryAudits', { id: 'x', activityDateTime: '2026-01-01T00:00:00Z', activityDisplayName: 'Apply', targetResources: [{ id: 't', type: 'Mystery' }] }) as { activity_id: number };
  expect(e.activity_id).not.toBe(99);
});
