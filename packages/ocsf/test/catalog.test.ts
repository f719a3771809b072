import { ACTIVITY_CATALOG, type CatalogActivity } from '../../graph-simulator/src/catalog';
import { mapRecord } from '../src';
import { expectValid } from './helpers';

/**
 * The policy of the issue, written out per catalog activity: [class_uid, activity_id]. Kept apart from the mapping
 * table on purpose, so a wrong row in the table fails here.
 */
const AC = 3001, GM = 3006, UAM = 3005, EM = 3004;
const EXPECTED: Record<string, [number, number]> = {
  'Add user': [AC, 1], 'Update user': [AC, 99], 'Delete user': [AC, 6], 'Hard Delete user': [AC, 6],
  'Restore user': [AC, 1], 'Disable account': [AC, 5], 'Enable account': [AC, 2], 'Reset user password': [AC, 4],
  'Change user password': [AC, 3], 'Set force change user password': [AC, 99], 'Change user license': [AC, 99],
  'Update StsRefreshTokenValidFrom Timestamp': [AC, 99], 'Set user manager': [AC, 99],
  'Reset password (by admin)': [AC, 4], 'Reset password (self-service)': [AC, 4], 'Change password (self-service)': [AC, 3],
  'Unlock user account (self-service)': [AC, 12], 'Self-service password reset flow activity progress': [AC, 99],
  'Blocked from self-service password reset': [AC, 99], 'User registered security info': [AC, 10],
  'User deleted security info': [AC, 11], 'User changed default security info': [AC, 99],
  'User registered all required security info': [AC, 10], 'Admin registered security info': [AC, 10],
  'Admin deleted security info': [AC, 11], 'Invite external user': [AC, 1], 'Redeem external user invite': [AC, 99],
  'Add group': [GM, 6], 'Update group': [GM, 99], 'Delete group': [GM, 5], 'Hard Delete group': [GM, 5],
  'Restore group': [GM, 6], 'Add member to group': [GM, 3], 'Remove member from group': [GM, 4],
  'Add owner to group': [GM, 1], 'Remove owner from group': [GM, 2], 'Add app role assignment to group': [GM, 1],
  'Remove app role assignment from group': [GM, 2], 'Set group license': [GM, 99],
  'Start applying group based license to users': [GM, 99], 'Finish applying group based license to user': [GM, 99],
  'Add member to role': [UAM, 1], 'Remove member from role': [UAM, 2], 'Add eligible member to role': [UAM, 1],
  'Remove eligible member from role': [UAM, 2], 'Add scoped member to role': [UAM, 1],
  'Add member to role in PIM requested (permanent)': [UAM, 99], 'Add member to role in PIM completed (permanent)': [UAM, 1],
  'Add eligible member to role in PIM requested (permanent)': [UAM, 99],
  'Add eligible member to role in PIM completed (permanent)': [UAM, 1],
  'Add member to role requested (PIM activation)': [UAM, 99], 'Add member to role completed (PIM activation)': [UAM, 1],
  'Remove member from role (PIM activation expired)': [UAM, 2],
  'Remove eligible member from role in PIM completed (permanent)': [UAM, 2],
  'Add application': [EM, 1], 'Update application': [EM, 3], 'Delete application': [EM, 4],
  'Hard Delete application': [EM, 4], 'Restore application': [EM, 1],
  'Update application – Certificates and secrets management': [EM, 3], 'Add owner to application': [UAM, 1],
  'Remove owner from application': [UAM, 2], 'Add service principal': [EM, 1], 'Update service principal': [EM, 3],
  'Remove service principal': [EM, 4], 'Add service principal credentials': [EM, 3],
  'Remove service principal credentials': [EM, 3], 'Add app role assignment to service principal': [UAM, 1],
  'Remove app role assignment from service principal': [UAM, 2], 'Add app role assignment grant to user': [UAM, 1],
  'Remove app role assignment from user': [UAM, 2], 'Add delegated permission grant': [UAM, 1],
  'Remove delegated permission grant': [UAM, 2], 'Consent to application': [UAM, 1], 'Add owner to service principal': [UAM, 1],
  'Add conditional access policy': [EM, 1], 'Update conditional access policy': [EM, 3], 'Delete conditional access policy': [EM, 4],
  'Add named location': [EM, 1], 'Update named location': [EM, 3], 'Delete named location': [EM, 4],
  'Update authorization policy': [EM, 3], 'Add policy': [EM, 1], 'Update policy': [EM, 3], 'Delete policy': [EM, 4],
  'Authentication Methods Policy Update': [EM, 3], 'Add device': [EM, 1], 'Update device': [EM, 3], 'Delete device': [EM, 4],
  'Register device': [EM, 6], 'Add registered owner to device': [EM, 3], 'Add registered users to device': [EM, 3],
  'Remove registered owner from device': [EM, 3], 'Device no longer compliant': [EM, 99],
  'Add unverified domain': [EM, 1], 'Verify domain': [EM, 3], 'Add verified domain': [EM, 1], 'Remove verified domain': [EM, 4],
  'Update company settings': [EM, 3], 'Set directory feature on tenant': [EM, 3], 'Add administrative unit': [EM, 1],
  'Delete administrative unit': [EM, 4], 'Add member to administrative unit': [EM, 3],
  'Remove member from administrative unit': [EM, 3], 'Create access package': [EM, 1],
  'Create access package assignment policy': [EM, 1], 'User requests access package assignment': [UAM, 99],
  'Approve access package assignment request': [UAM, 99], 'Fulfill access package assignment request': [UAM, 1],
  'Administrator directly removes user access package assignment': [UAM, 2],
};

/** A directoryAudit shaped like Microsoft's sample, with one target per listed type (lower-case `type`). */
function auditFor(a: CatalogActivity, i: number): Record<string, unknown> {
  const groupName = `Group ${i}`;
  const targets = a.targetTypes.map((type, n) => {
    const id = `${String(i).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const t: Record<string, unknown> = { id, displayName: `${type} ${i}.${n}`, type, modifiedProperties: [], groupType: null };
    if (type === 'User') {
      t.userPrincipalName = `user${i}.${n}@contoso.com`;
      // As in real logs, the member carries its group's id and name.
      if (a.targetTypes.includes('Group')) {
        t.modifiedProperties = [
          { displayName: 'Group.ObjectID', oldValue: null, newValue: `"${i}-group"` },
          { displayName: 'Group.DisplayName', oldValue: null, newValue: JSON.stringify(groupName) },
        ];
      }
    }
    return t;
  });
  const byApp = a.initiator === 'app';
  return {
    id: `Directory_${i}_ABCDE_${1000 + i}`,
    category: a.category,
    correlationId: `c0ffee00-0000-4000-8000-${String(i).padStart(12, '0')}`,
    result: 'success',
    resultReason: '',
    activityDisplayName: a.activityDisplayName,
    activityDateTime: '2026-03-02T09:15:27.4869999Z',
    loggedByService: a.loggedByService,
    operationType: a.operationType,
    initiatedBy: byApp
      ? { user: null, app: { appId: 'app-1', displayName: 'Sync Agent', servicePrincipalId: 'sp-1', servicePrincipalName: 'Sync Agent' } }
      : { app: null, user: { id: 'admin-1', displayName: 'Admin', userPrincipalName: 'admin@contoso.com', ipAddress: '203.0.113.9' } },
    targetResources: targets,
    additionalDetails: [],
  };
}

describe('every activity of the Graph simulator catalog', () => {
  test('the expectations cover the whole catalog', () => {
    const missing = ACTIVITY_CATALOG.map((a) => a.activityDisplayName).filter((n) => !(n in EXPECTED));
    expect(missing).toEqual([]);
  });

  test.each(ACTIVITY_CATALOG.map((a, i) => [a.activityDisplayName, a, i] as const))('%s', (name, activity, i) => {
    const e = mapRecord('directoryAudits', auditFor(activity, i), { tenantId: 'tenant-1' }) as any;
    const [classUid, activityId] = EXPECTED[name];
    expect([e.class_uid, e.activity_id]).toEqual([classUid, activityId]);
    expect(e.message).toBe(name);
    if (activityId === 99) expect(e.activity_name).toBe(name);
    expect(e.time).toBe(Date.UTC(2026, 2, 2, 9, 15, 27, 486));
    if (activity.initiator === 'app') expect(e.actor).toMatchObject({ app_name: 'Sync Agent', app_uid: 'app-1', user: { uid: 'sp-1', type_id: 4 } });
    else expect(e.actor.user).toMatchObject({ uid: 'admin-1', name: 'admin@contoso.com' });
    // The class's subject is taken from the target of the right type.
    if (classUid === 3001) expect(e.user.name).toBe(`user${i}.0@contoso.com`);
    if (classUid === 3006) expect(e.group.name ?? e.group.uid).toBeDefined();
    if (classUid === 3006 && activity.targetTypes.includes('Group')) expect(e.group.name).toBe(`Group ${i}.${activity.targetTypes.indexOf('Group')}`);
    if (classUid === 3005) expect(e.privileges.length).toBeGreaterThan(0);
    if (classUid === 3004) expect(e.entity.uid).toMatch(new RegExp(`^${String(i).padStart(8, '0')}-`));
    expectValid(e);
  });
});

describe('targets by type, never by position', () => {
  const base = auditFor(ACTIVITY_CATALOG.find((a) => a.activityDisplayName === 'Add member to group')!, 7);

  test('reversed target order gives the same group and member', () => {
    const reversed = { ...base, targetResources: [...(base.targetResources as unknown[])].reverse() };
    const a = mapRecord('directoryAudits', base) as any;
    const b = mapRecord('directoryAudits', reversed) as any;
    expect(b.group).toEqual(a.group);
    expect(b.user).toEqual(a.user);
  });

  test('without a Group target the group name comes from the member\'s Group.DisplayName', () => {
    const onlyMember = { ...base, targetResources: (base.targetResources as any[]).filter((t) => t.type === 'User') };
    const e = mapRecord('directoryAudits', onlyMember) as any;
    expect(e.group).toEqual({ uid: '7-group', name: 'Group 7' });
    expectValid(e);
  });

  test('a group added to a group is a subgroup', () => {
    const nested = {
      ...base,
      targetResources: [
        { id: 'parent', displayName: 'Parent', type: 'Group', modifiedProperties: [] },
        { id: 'child', displayName: 'Child', Type: 'Group', modifiedProperties: [{ displayName: 'Group.ObjectID', oldValue: null, newValue: '"parent"' }] },
      ],
    };
    const e = mapRecord('directoryAudits', nested) as any;
    expect([e.activity_id, e.group.uid, e.subgroup.uid]).toEqual([7, 'parent', 'child']);
    expectValid(e);
  });

  test('role name and principal of a role assignment, whatever the order', () => {
    const record = {
      ...base, category: 'RoleManagement', activityDisplayName: 'Add member to role',
      targetResources: [
        { id: 'u1', userPrincipalName: 'ana@contoso.com', type: 'User', modifiedProperties: [] },
        { id: 'r1', displayName: 'Global Administrator', type: 'Role', modifiedProperties: [] },
      ],
    };
    const e = mapRecord('directoryAudits', record) as any;
    expect(e.user).toMatchObject({ uid: 'u1', name: 'ana@contoso.com' });
    expect(e.privileges).toEqual(['Global Administrator']);
    expect(e.resources).toEqual([{ uid: 'r1', name: 'Global Administrator', type: 'Role' }]);
    expectValid(e);
  });
});

test('failure and timeout results', () => {
  const record = auditFor(ACTIVITY_CATALOG[0], 1);
  const failed = mapRecord('directoryAudits', { ...record, result: 'failure', resultReason: 'Quota exceeded' }) as any;
  expect([failed.status_id, failed.status, failed.status_detail]).toEqual([2, 'Failure', 'Quota exceeded']);
  const timedOut = mapRecord('directoryAudits', { ...record, result: 'timeout' }) as any;
  expect([timedOut.status_id, timedOut.status]).toEqual([99, 'Timeout']);
  expectValid(failed);
  expectValid(timedOut);
});
