import { mapRecord, recordId, recordTime, serializeEvent } from '../src';
import { expectValid, recordsOf } from './helpers';

const ctx = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', observedTime: 1_772_496_000_000 };

describe('Microsoft documented directoryAudit records', () => {
  test('"Add member to group" → Group Management Add User, group and member found by Type (capital T)', () => {
    const [record] = recordsOf('graph/directoryAudits-list-example.json');
    const e = mapRecord('directoryAudits', record, ctx) as any;
    expect([e.class_uid, e.activity_id, e.type_uid]).toEqual([3006, 3, 300603]);
    expect(e.group).toEqual({ uid: 'ef7e527d-6c92-4234-8c6d-cf6fdfb57f95', name: 'Example.com', type: 'unifiedGroups' });
    expect(e.user).toMatchObject({ uid: '1f0e98f5-3161-4c6b-9b50-d488572f2bb7', name: 'bob@contoso.com' });
    expect(e.actor.user).toMatchObject({ uid: '728309ae-1a37-4937-9afe-e35d964db09b', name: 'bob@wingtiptoysonline.com' });
    expect(e.src_endpoint).toEqual({ ip: '127.0.0.1' });
    expect(e.time).toBe(Date.UTC(2018, 0, 9, 21, 20, 2, 721));
    expect(e.metadata).toMatchObject({
      version: '1.8.0', uid: 'id', correlation_uid: 'da159bfb-54fa-4092-8a38-6e1fa7870e30', tenant_uid: ctx.tenantId,
      product: { vendor_name: 'Microsoft', name: 'Microsoft Entra ID', feature: { name: 'Directory Audits' } },
      log_name: 'directoryAudits', profiles: ['cloud'],
    });
    expect(e.cloud.provider).toBe('Azure');
    expect([e.status_id, e.status_detail]).toEqual([1, 'Successfully added member to group']);
    expect(e.unmapped.additionalDetails).toEqual([{ key: 'Additional Detail Name', value: 'Additional Detail Value' }]);
    expect(e.unmapped.category).toBe('UserManagement');
    expectValid(e);
  });

  test('"Update user" that adds strong-authentication methods → Account Change MFA Factor Enable', () => {
    const [record] = recordsOf('graph/directoryAudit-beta-update-user-example.json');
    const e = mapRecord('directoryAudits', record, ctx) as any;
    expect([e.class_uid, e.activity_id, e.activity_name]).toEqual([3001, 10, 'MFA Factor Enable']);
    expect(e.user).toMatchObject({ uid: '2c940657-1026-4386-bcfd-3176637ba01f', name: 'tuser@contoso.com', account: { type_id: 6 } });
    // OCSF's caption labels the type; Graph's userType keeps its own home.
    expect(e.actor.user).toMatchObject({ name: 'tadmin@contoso.com', type_id: 1, type: 'User' });
    expect(e.unmapped.initiatedBy).toEqual({ user: { userType: 'Member' } }); // homeTenantId null: nothing lost
    expect(e.src_endpoint).toBeUndefined(); // ipAddress "" is no address
    expect(e.status_detail).toBeUndefined(); // resultReason "" says nothing
    expectValid(e);
  });

  test('a read in GroupManagement without a group target → Entity Management Read of what it names', () => {
    const [record] = recordsOf('graph/directoryAudits-list-filter-initiatedBy-example.json');
    const e = mapRecord('directoryAudits', record, ctx) as any;
    expect([e.class_uid, e.activity_id, e.activity_name, e.message]).toEqual([3004, 2, 'Read', 'GroupLifecyclePolicies_Get']);
    expect(e.entity).toMatchObject({ uid: '00000000-0000-0000-0000-000000000000', type: 'N/A' });
    expect(e.unmapped.loggedByService).toBe('Self-service Group Management');
    expectValid(e);
  });
});

describe('Microsoft documented signIn records', () => {
  test.each(['graph/signIns-list-example.json', 'graph/signIns-list-filter-startswith-example.json'])(
    'successful sign-in (%s) → Authentication Logon success with user, service, resource, source',
    (file) => {
      for (const record of recordsOf(file)) {
        const e = mapRecord('signIns', record, ctx) as any;
        expect([e.class_uid, e.activity_id, e.status_id, e.status_code]).toEqual([3002, 1, 1, '0']);
        expect(e.user).toMatchObject({ uid: record.userId, name: record.userPrincipalName });
        expect(e.service).toEqual({ uid: record.appId, name: record.appDisplayName });
        expect(e.dst_endpoint).toEqual({ uid: record.resourceId, svc_name: record.resourceDisplayName });
        expect(e.src_endpoint).toMatchObject({ ip: record.ipAddress, location: { city: 'Redmond', country: 'US' } });
        expect(e.device).toMatchObject({ ip: record.ipAddress, os: { name: 'Windows 10', type_id: 100 }, type_id: 0 });
        expect(e.actor).toEqual({ user: { uid: record.userId, name: record.userPrincipalName, type_id: 1, type: 'User' }, app_name: record.appDisplayName, app_uid: record.appId });
        expect([e.logon_type_id, e.logon_type, e.is_remote, e.timezone_offset]).toEqual([2, 'Interactive', true, 0]);
        // Conditional access policies were evaluated: authorizations need the security_control profile; the
        // device needs the host profile.
        expect(e.authorizations.length).toBe((record.appliedConditionalAccessPolicies as unknown[]).length);
        expect(e.metadata.profiles).toEqual(['cloud', 'host', 'security_control']);
        expect([e.action_id, e.disposition_id, e.is_alert]).toEqual([3, 16, false]); // notApplied: observed, no action
        expect(e.time).toBe(recordTime('signIns', record));
        expectValid(e);
      }
    },
  );

  test('failed sign-in 50126 → failure with status_code, status_detail and the password factor', () => {
    const [record] = recordsOf('graph/signIns-beta-list-failure-50126-example.json');
    const e = mapRecord('signIns', record, ctx) as any;
    expect([e.status_id, e.status_code]).toEqual([2, '50126']);
    expect(e.status_detail).toBe('Error validating credentials due to invalid username or password.');
    expect(e.is_mfa).toBe(false);
    expect(e.auth_factors).toEqual([{ factor_type_id: 11, factor_type: 'Password' }]);
    expect(e.auth_protocol_id).toBe(6);
    expect(e.unmapped.autonomousSystemNumber).toBe(3598);
    expect(e.time).toBe(Date.UTC(2021, 5, 30, 16, 34, 32));
    expectValid(e);
  });
});

describe('Microsoft documented users/delta records', () => {
  const files = [
    'graph/users-delta-default-properties-example.json', 'graph/users-delta-deltalink-changes-example.json',
    'graph/users-delta-final-page-deltalink-example.json', 'graph/users-delta-initial-response-example.json',
    'graph/users-delta-nextlink-response-example.json',
  ];
  test.each(files)('%s: every user → User Inventory Info, live users Collect, @removed → Removed', (file) => {
    for (const record of recordsOf(file)) {
      const e = mapRecord('users', record, ctx) as any;
      expect(e.class_uid).toBe(5003);
      expect(e.time).toBe(ctx.observedTime);
      expect(e.user.uid).toBe(record.id);
      expect(e.user.account).toMatchObject({ uid: record.id, type_id: 6, type: 'Azure AD Account' });
      if (record['@removed']) {
        expect([e.activity_id, e.activity_name]).toEqual([99, 'Removed']);
        expect(e.unmapped['@removed']).toEqual(record['@removed']);
      } else {
        expect(e.activity_id).toBe(2);
        if (record.givenName) expect(e.user.ldap_person.given_name).toBe(record.givenName);
      }
      expectValid(e);
    }
  });

  test('department, job title, manager and account state land where OCSF puts them', () => {
    const e = mapRecord('users', {
      id: 'u-1', userPrincipalName: 'ana@contoso.com', displayName: 'Ana', accountEnabled: false, department: 'Finance',
      jobTitle: 'Analyst', manager: { id: 'm-1', userPrincipalName: 'boss@contoso.com' }, businessPhones: ['+1 555'],
    }, ctx) as any;
    expect(e.user.account.is_disabled).toBe(true);
    expect(e.user.ldap_person).toMatchObject({ department: 'Finance', job_title: 'Analyst', manager: { uid: 'm-1', name: 'boss@contoso.com' } });
    expect(e.unmapped.businessPhones).toEqual(['+1 555']);
    expectValid(e);
  });

  test('a record without an id cannot be mapped', () => {
    const [record] = recordsOf('graph/users-delta-minimal-response-example.json');
    expect(recordId('users', record)).toBeUndefined();
    expect(() => mapRecord('users', record, ctx)).toThrow(/no id/);
  });
});

test('every sample maps to the same bytes twice', () => {
  for (const [file, source] of [
    ['graph/directoryAudits-list-example.json', 'directoryAudits'], ['graph/signIns-beta-list-failure-50126-example.json', 'signIns'],
    ['graph/users-delta-initial-response-example.json', 'users'],
  ] as const) {
    for (const record of recordsOf(file)) {
      const copy = JSON.parse(JSON.stringify(record));
      expect(serializeEvent(mapRecord(source, copy, ctx))).toBe(serializeEvent(mapRecord(source, record, ctx)));
    }
  }
});

test('includeRawData adds the record as JSON', () => {
  const [record] = recordsOf('graph/directoryAudits-list-example.json');
  const e = mapRecord('directoryAudits', record, { ...ctx, includeRawData: true });
  expect(JSON.parse(e.raw_data as string)).toEqual(record);
  expectValid(e);
});
