import { MappingError, createEventValidator, mapRecord, recordId, recordTime, serializeEvent, type EntraSource } from '../src';

// The bad-input corpus, record part: hostile or broken Graph records at the level the map activity works at. Each one
// either becomes a valid OCSF event that serialises to one line of JSON, or is refused with a reason the map activity
// writes into a dead letter (no id, no usable time, MappingError, failed validation). Nothing throws anything else.
// The end-to-end check (dead letters on disk, the window completes) is tests/integration/bad-input.int.test.ts.

const validator = createEventValidator();
const ctx = { tenantId: '0d3c4a1e-5f6b-4c7d-8e9f-a0b1c2d3e4f5', observedTime: Date.parse('2026-11-01T12:00:00Z') };

const audit = (extra: Record<string, unknown>): Record<string, unknown> => ({
  id: 'Directory_0f1e2d3c_ABCDE_12345678', activityDateTime: '2026-11-01T01:02:03.1234567Z', activityDisplayName: 'Update user',
  category: 'UserManagement', loggedByService: 'Core Directory', operationType: 'Update', result: 'success',
  initiatedBy: { user: { id: 'u1', userPrincipalName: 'admin@contoso.example', displayName: 'Admin' }, app: null },
  targetResources: [{ id: 't1', type: 'User', userPrincipalName: 'someone@contoso.example', modifiedProperties: [] }],
  additionalDetails: [],
  ...extra,
});

const signIn = (extra: Record<string, unknown>): Record<string, unknown> => ({
  id: '66ea54eb-6301-4ee5-be62-ff5a759b0100', createdDateTime: '2026-11-01T01:02:03Z', userId: 'u1', userPrincipalName: 'someone@contoso.example',
  appId: 'a1', appDisplayName: 'Office', ipAddress: '203.0.113.7', status: { errorCode: 0 }, ...extra,
});

type Outcome = 'event' | 'no-id' | 'no-time' | 'refused';

/** What the map activity does with the record, as one word (the activity writes the last three as dead letters). */
function outcome(source: EntraSource, record: unknown): { outcome: Outcome; line?: string; reason?: string } {
  if (recordId(source, record) === undefined) return { outcome: 'no-id' };
  if (source !== 'users' && recordTime(source, record) === undefined) return { outcome: 'no-time' };
  let event;
  try {
    event = mapRecord(source, record, ctx);
  } catch (err) {
    expect(err).toBeInstanceOf(MappingError);
    return { outcome: 'refused', reason: (err as Error).message };
  }
  const v = validator.validate(event);
  if (!v.valid) return { outcome: 'refused', reason: v.errors.join('; ') };
  const line = serializeEvent(event);
  expect(line).not.toMatch(/[\n\r]/); // one event, one NDJSON line
  expect(JSON.parse(line)).toEqual(JSON.parse(JSON.stringify(event)));
  return { outcome: 'event', line };
}

const MB = 'x'.repeat(1_048_576);
const nested = (depth: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { v };
  return v;
};

const cases: [string, EntraSource, unknown, Outcome][] = [
  ['audit without id', 'directoryAudits', audit({ id: undefined }), 'no-id'],
  ['audit whose id is a number', 'directoryAudits', audit({ id: 12345 }), 'no-id'],
  ['audit whose id is an empty string', 'directoryAudits', audit({ id: '' }), 'no-id'],
  ['audit without activityDateTime', 'directoryAudits', audit({ activityDateTime: undefined }), 'no-time'],
  ['activityDateTime as US date "11/01/2026 01:02:03"', 'directoryAudits', audit({ activityDateTime: '11/01/2026 01:02:03' }), 'no-time'],
  ['activityDateTime without a zone (machine-dependent)', 'directoryAudits', audit({ activityDateTime: '2026-11-01T01:02:03' }), 'no-time'],
  ['activityDateTime as epoch milliseconds (number)', 'directoryAudits', audit({ activityDateTime: 1_793_494_923_000 }), 'no-time'],
  ['activityDateTime as epoch text', 'directoryAudits', audit({ activityDateTime: '1793494923000' }), 'no-time'],
  ['activityDateTime on 30 February', 'directoryAudits', audit({ activityDateTime: '2026-02-30T00:00:00Z' }), 'no-time'],
  ['activityDateTime with offset "+0100" (no colon)', 'directoryAudits', audit({ activityDateTime: '2026-11-01T02:02:03+0100' }), 'no-time'],
  ['activityDateTime with offset "+01:00"', 'directoryAudits', audit({ activityDateTime: '2026-11-01T02:02:03+01:00' }), 'event'],
  ['activityDateTime null', 'directoryAudits', audit({ activityDateTime: null }), 'no-time'],
  ['a record that is null', 'directoryAudits', null, 'no-id'],
  ['a record that is an array', 'directoryAudits', [audit({})], 'no-id'],
  ['initiatedBy null', 'directoryAudits', audit({ initiatedBy: null }), 'event'],
  ['targetResources null', 'directoryAudits', audit({ targetResources: null }), 'event'],
  ['targetResources as a string holding an array', 'directoryAudits', audit({ targetResources: '[{"id":"t1","type":"User"}]' }), 'event'],
  ['targetResources holding null and numbers', 'directoryAudits', audit({ targetResources: [null, 7, { id: 't1', type: 'User' }] }), 'event'],
  ['modifiedProperties null / a string', 'directoryAudits', audit({ targetResources: [{ id: 't1', type: 'User', modifiedProperties: 'oops' }, { id: 't2', type: 'User', modifiedProperties: null }] }), 'event'],
  ['result as a number, category as a number', 'directoryAudits', audit({ result: 1, category: 42 }), 'event'],
  ['activityDisplayName as an array', 'directoryAudits', audit({ activityDisplayName: ['Update user'] }), 'event'],
  ['a 1 MB activityDisplayName', 'directoryAudits', audit({ activityDisplayName: MB }), 'event'],
  ['a 1 MB modifiedProperties newValue', 'directoryAudits', audit({ targetResources: [{ id: 't1', type: 'User', modifiedProperties: [{ displayName: 'Department', oldValue: null, newValue: JSON.stringify(MB) }] }] }), 'event'],
  ['modifiedProperties value nested 500 levels deep', 'directoryAudits', audit({ targetResources: [{ id: 't1', type: 'User', modifiedProperties: [{ displayName: 'X', newValue: nested(500) }] }] }), 'event'],
  ['control characters in strings', 'directoryAudits', audit({ activityDisplayName: 'Update\u0000user\u001b[31m\r\nInjected: line' }), 'event'],
  ['lone UTF-16 surrogates in strings', 'directoryAudits', audit({ activityDisplayName: 'bad \ud800 and \udfff', initiatedBy: { user: { id: 'u\ud83d', userPrincipalName: '\udc00@x' } } }), 'event'],
  ['sign-in without createdDateTime', 'signIns', signIn({ createdDateTime: undefined }), 'no-time'],
  ['sign-in whose status is a string, location a number', 'signIns', signIn({ status: '0', location: 12 }), 'event'],
  ['sign-in with an ipAddress of 1 MB', 'signIns', signIn({ ipAddress: MB }), 'event'],
  ['user without id', 'users', { displayName: 'Nobody', accountEnabled: true }, 'no-id'],
  ['user whose accountEnabled is the string "true"', 'users', { id: 'u9', displayName: 'Text bool', accountEnabled: 'true', userPrincipalName: 'u9@x' }, 'event'],
];

describe('hostile records: an event or a reason, never a crash', () => {
  it.each(cases)('%s (%s) → %s', (_name, source, record, expected) => {
    const got = outcome(source, record);
    expect(got.outcome).toBe(expected);
    if (got.outcome === 'refused') expect(got.reason).toMatch(/\S/);
  });
});

describe('what the events keep', () => {
  it('the +01:00 offset is the same instant as UTC: the record lands in the right window', () => {
    expect(recordTime('directoryAudits', audit({ activityDateTime: '2026-11-01T02:02:03+01:00' }))).toBe(Date.parse('2026-11-01T01:02:03Z'));
  });

  it('control characters and lone surrogates are escaped in the NDJSON line, not written raw', () => {
    const { line } = outcome('directoryAudits', audit({ activityDisplayName: 'a\u0000b\r\nc \ud800' }));
    expect(line).toContain('\\u0000');
    expect(line).toContain('\\r\\n');
    expect(line).toContain('\\ud800');
    expect(Buffer.from(line!, 'utf8').toString('utf8')).toBe(line); // well-formed UTF-8 round trip
  });

  it('a 1 MB string is kept whole (nothing is cut silently)', () => {
    const { line } = outcome('directoryAudits', audit({ activityDisplayName: MB }));
    expect(line!.length).toBeGreaterThan(1_048_576);
  });

  it('a value nested beyond what JSON.stringify can write is a RangeError at serialisation: the map activity catches it', () => {
    // mapRecord copies targetResources into `unmapped`; the map activity turns this throw into a dead letter.
    const event = mapRecord('directoryAudits', audit({ targetResources: [{ id: 't1', type: 'User', modifiedProperties: [{ displayName: 'X', newValue: nested(20_000) }] }] }), ctx);
    expect(() => serializeEvent(event)).toThrow(RangeError);
  });
});
