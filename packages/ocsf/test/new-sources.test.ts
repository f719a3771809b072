import { MappingError, mapRecord, recordId, recordTime, serializeEvent } from '../src';
import { expectValid, recordsOf } from './helpers';

// Microsoft's documented responses (see ../shared/samples/graph/README-sources.md for where each comes from).
const ctx = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', observedTime: 1_772_496_000_000 };

describe('provisioning → Account Change or Entity Management by provisioningAction and object type', () => {
  test.each([
    'graph/provisioning-list-example.json', 'graph/provisioning-list-failure-example.json',
    'graph/provisioning-beta-list-example.json', 'graph/provisioning-beta-list-failure-example.json',
  ])('%s maps each record to a valid event timed at activityDateTime', (file) => {
    for (const record of recordsOf(file)) {
      const e = mapRecord('provisioning', record, ctx) as any;
      expectValid(e);
      expect(e.time).toBe(Date.parse(record.activityDateTime as string));
      expect(e.metadata.uid).toBe(record.id);
      expect(recordId('provisioning', record)).toBe(record.id);
      expect(recordTime('provisioning', record)).toBe(e.time);
    }
  });

  test('a service principal created from a role compound is an Entity Management Create of type Other, named by Graph', () => {
    const [record] = recordsOf('graph/provisioning-list-example.json');
    const e = mapRecord('provisioning', record, ctx) as any;
    expect([e.class_uid, e.activity_id, e.status_id]).toEqual([3004, 1, 1]);
    expect(e.entity).toEqual({ type_id: 99, type: 'ServicePrincipal', uid: '6nn35b93-185a-4485-a519-50c09549f3ad' });
    expect(e.actor).toEqual({ app_name: 'Contoso', app_uid: '6cc35b93-185a-4485-a519-50c09549g3ad' });
    expect(e.unmapped.sourceSystem).toEqual({ uid: 'd1e090e1-f2f4-4678-be44-6442ffff0621', name: 'Contoso' });
    expect(e.unmapped.targetSystem.name).toBe('Azure Active Directory');
  });

  test('a failed group create keeps the error code and reason, and names the group from the source side', () => {
    const [record] = recordsOf('graph/provisioning-list-failure-example.json');
    const e = mapRecord('provisioning', record, ctx) as any;
    expect([e.class_uid, e.activity_id, e.status_id, e.status]).toEqual([3004, 1, 2, 'Failure']);
    expect(e.status_code).toBe('ContosoEntryConflict');
    expect(e.status_detail).toMatch(/HTTP status code 409/);
    // A success keeps its own word as the code, as audits keep `result`.
    expect((mapRecord('provisioning', recordsOf('graph/provisioning-list-example.json')[0], ctx) as any).status_code).toBe('success');
    expect(e.entity).toMatchObject({ type_id: 3, type: 'Group', name: 'Self-service Pilot' });
  });

  test.each([
    ['create', 3001, 'Create'], ['disable', 3001, 'Disable'], ['delete', 3001, 'Delete'],
    ['update', 3004, 'Update'], ['stagedDelete', 3004, 'Deactivate'], ['somethingNew', 3004, 'Other'],
  ])('a user %s → class %i activity %s', (action, classUid, activity) => {
    const [base] = recordsOf('graph/provisioning-list-example.json');
    const record = { ...base, provisioningAction: action, targetIdentity: { identityType: 'User', id: 'u-1', displayName: 'Ada' } };
    const e = mapRecord('provisioning', record, ctx) as any;
    expect([e.class_uid, e.activity_name]).toEqual([classUid, activity]);
    if (classUid === 3001) expect(e.user).toMatchObject({ uid: 'u-1', name: 'Ada' });
    else expect(e.entity).toMatchObject({ type_id: 2, type: 'User', uid: 'u-1' });
    expectValid(e);
  });
});

describe('risk → Detection Finding, one version per last update', () => {
  test('a remediated risk detection closes the finding; the invalid documented IP stays raw', () => {
    const [record] = recordsOf('graph/riskDetections-list-example.json');
    const e = mapRecord('riskDetections', record, ctx) as any;
    expectValid(e);
    expect([e.class_uid, e.activity_id, e.status_id, e.status_code]).toEqual([2004, 3, 4, 'remediated']);
    expect(e.time).toBe(Date.parse('2018-09-05T00:11:27.773Z'));
    expect(e.metadata.uid).toBe('6a5874ca-abcd-9d82-5ad39bd71600@2018-09-05T00:11:27.773602Z');
    expect(e.finding_info).toMatchObject({ uid: '6a5874ca-abcd-9d82-5ad39bd71600', title: 'unfamiliarFeatures', types: ['unfamiliarFeatures'] });
    expect([e.severity_id, e.risk_level_id, e.risk_level]).toEqual([3, 2, 'Medium']);
    expect(e.evidences[0].user).toMatchObject({ uid: 'abcdefab-af90-4edf-ac4c-742ff06735d0', name: 'olack@adatum.com' });
    expect(e.evidences[0].src_endpoint).toBeUndefined();
    expect(e.unmapped.ipAddress).toBe('123.456.7.89');
    expect(recordId('riskDetections', record)).toBe(e.metadata.uid);
  });

  test('each change of state is a new version with its own uid, time and activity; the finding uid stays', () => {
    const [record] = recordsOf('graph/riskDetections-list-example.json');
    const v1 = { ...record, riskState: 'atRisk', riskDetail: 'none', lastUpdatedDateTime: record.detectedDateTime, ipAddress: '203.0.113.9' };
    const v2 = { ...v1, riskState: 'confirmedCompromised', lastUpdatedDateTime: '2018-09-05T01:00:00Z' };
    const v3 = { ...v1, riskState: 'remediated', lastUpdatedDateTime: '2018-09-05T02:00:00.1234567Z' };
    const events = [v1, v2, v3].map((r) => mapRecord('riskDetections', r, ctx) as any);
    events.forEach(expectValid);
    expect(events.map((e) => e.activity_name)).toEqual(['Create', 'Update', 'Close']);
    expect(events.map((e) => e.status)).toEqual(['New', 'In Progress', 'Resolved']);
    expect(new Set(events.map((e) => e.metadata.uid)).size).toBe(3);
    expect(new Set(events.map((e) => e.finding_info.uid)).size).toBe(1);
    expect(events.map((e) => e.time)).toEqual([Date.parse('2018-09-05T00:11:27.773Z'), Date.parse('2018-09-05T01:00:00Z'), Date.parse('2018-09-05T02:00:00.123Z')]);
    expect(events[0].evidences[0].src_endpoint).toEqual({ ip: '203.0.113.9', location: { city: 'Seattle', region: 'Washington', country: 'US' } });
    expect(new Set([v1, v2, v3].map((r) => recordId('riskDetections', r))).size).toBe(3);
  });

  test('the service principal detection with a garbled last-update time maps, unversioned, the raw time kept', () => {
    const [record] = recordsOf('graph/servicePrincipalRiskDetections-list-example.json');
    const e = mapRecord('servicePrincipalRiskDetections', record, ctx) as any;
    expectValid(e);
    expect(e.time).toBe(Date.parse('2021-10-26T00:00:00Z'));
    expect(e.metadata.uid).toBe(record.id);
    expect(e.unmapped.lastUpdatedDateTime).toBe('2021-10-26T16:28:17.8202975Z)');
    // original_time is the text the event's time was read from, so its offset is known.
    expect([e.metadata.original_time, e.timezone_offset]).toEqual([record.detectedDateTime, 0]);
    expect(e.resources).toEqual([{ type: 'Service Principal', uid: '99b8d28b-11ae-4e84-9bef-0e767e286grg', name: 'Contoso App', uid_alt: '0grb38ac-a572-491d-a9db-b07197643457' }]);
    // The pipeline cannot window it: no key, so it becomes a dead letter rather than a guess.
    expect(recordTime('servicePrincipalRiskDetections', record)).toBeUndefined();
    expect(recordId('servicePrincipalRiskDetections', record)).toBeUndefined();
  });

  test.each([
    ['riskyUsers', 'graph/riskyUsers-beta-list-example.json'],
    ['riskyUsers', 'graph/riskyUsers-beta-list-filter-riskLevel-example.json'],
    ['riskyServicePrincipals', 'graph/riskyServicePrincipals-list-example.json'],
  ] as const)('%s (%s): current risk state as a versioned finding about its subject', (source, file) => {
    for (const record of recordsOf(file)) {
      const e = mapRecord(source, record, ctx) as any;
      expectValid(e);
      expect(e.time).toBe(recordTime(source, record));
      expect(e.metadata.uid).toBe(`${record.id}@${record.riskLastUpdatedDateTime}`);
      expect(e.finding_info.uid).toBe(record.id);
      expect(e.resources[0].uid).toBe(record.id);
      expect(e.status_code).toBe(record.riskState);
    }
  });

  test('an open finding is an alertable signal, a closing one is not; observables point at OCSF paths', () => {
    const [record] = recordsOf('graph/riskDetections-list-example.json');
    const at = (riskState: string) => mapRecord('riskDetections', { ...record, riskState, ipAddress: '203.0.113.9' }, ctx) as any;
    expect(['atRisk', 'confirmedCompromised', 'remediated', 'dismissed', 'confirmedSafe'].map((s) => at(s).is_alert))
      .toEqual([true, true, false, false, false]);
    expect(at('somethingNew').is_alert).toBeUndefined();
    expect(at('atRisk').observables.map((o: { name: string }) => o.name)).toEqual(['evidences.user.name', 'resources.uid', 'evidences.src_endpoint.ip']);
  });

  test('the v1.0 risky-user example holds type placeholders, not values: a clear mapping error, no crash', () => {
    const [record] = recordsOf('graph/riskyUsers-list-example.json');
    expect(() => mapRecord('riskyUsers', record, ctx)).toThrow(MappingError);
    expect(() => mapRecord('riskyUsers', record, ctx)).toThrow(/riskLastUpdatedDateTime is "String \(timestamp\)"/);
    expect(recordId('riskyUsers', record)).toBeUndefined();
  });
});

describe('devices → Device Inventory Info', () => {
  test('a device from devices/delta is collected at the read time, with OS and both ids', () => {
    const [record] = recordsOf('graph/devices-delta-example.json');
    const e = mapRecord('devices', record, ctx) as any;
    expectValid(e);
    expect([e.class_uid, e.activity_id, e.time]).toEqual([5001, 2, ctx.observedTime]);
    expect(e.device).toMatchObject({ uid: record.id, uid_alt: record.deviceId, name: 'Test device', os: { name: 'linux', type_id: 200, type: 'Linux', version: '1' } });
    expect(e.unmapped.accountEnabled).toBe(false);
    expect(e.timezone_offset).toBe(0); // read at this process's UTC clock
    expect(recordTime('devices', record)).toBeUndefined();
  });

  test('a removed device is the tombstone: activity Other, keyed by the object id', () => {
    const e = mapRecord('devices', { id: 'c9d9f9b3-0c91-4080-b392-78f775903b3a', '@removed': { reason: 'deleted' } }, ctx) as any;
    expectValid(e);
    expect([e.activity_id, e.activity_name, e.message]).toEqual([99, 'Other', 'Device permanently deleted']);
    expect(e.device.uid).toBe('c9d9f9b3-0c91-4080-b392-78f775903b3a');
  });
});

describe('odd input never crashes the new mappers', () => {
  test.each(['provisioning', 'riskDetections', 'servicePrincipalRiskDetections', 'riskyUsers', 'riskyServicePrincipals', 'devices'] as const)(
    '%s: null, arrays, wrong types → MappingError or a valid event',
    (source) => {
      const odd: unknown[] = [null, [], 'x', 42, {}, { id: 7 }, { id: 'a', activityDateTime: 5, lastUpdatedDateTime: [], riskLastUpdatedDateTime: {} },
        { id: 'b', activityDateTime: '2026-01-01T00:00:00Z', lastUpdatedDateTime: '2026-01-01T00:00:00Z', riskLastUpdatedDateTime: '2026-01-01T00:00:00Z', location: 'x', ipAddress: 12, additionalInfo: '{not json', provisioningStatusInfo: [], targetIdentity: 'x', operatingSystem: 3 }];
      for (const record of odd) {
        let e;
        try {
          e = mapRecord(source, record, ctx);
        } catch (err) {
          expect(err).toBeInstanceOf(MappingError);
          continue;
        }
        expectValid(e);
        expect(() => serializeEvent(e)).not.toThrow();
      }
    },
  );
});
