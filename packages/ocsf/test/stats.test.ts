import { ActivityStats, mapRecord } from '../src';

const audit = (activityDisplayName: string, targets: unknown[]) => ({
  id: activityDisplayName, activityDateTime: '2026-03-02T09:15:27Z', activityDisplayName, category: 'UserManagement',
  targetResources: targets,
});
const user = { id: 'u1', type: 'User', userPrincipalName: 'ana@contoso.com' };

describe('map --stats figures', () => {
  test('counts by class and activity, most frequent first, and the Other share', () => {
    const stats = new ActivityStats();
    for (const r of [audit('Delete user', [user]), audit('Delete user', [user]), audit('Set user manager', [user])]) {
      stats.add(mapRecord('directoryAudits', r, { tenantId: 't' }));
    }
    expect(stats.lines()).toEqual([
      '2  3001 Account Change: Delete (6)',
      '1  3001 Account Change: Other (99)',
      '3 events, 1 Other (33.3%)',
    ]);
  });

  test('no events: a zero line, no division by zero', () => {
    expect(new ActivityStats().lines()).toEqual(['0 events, 0 Other (0.0%)']);
  });
});
