import { ACTIVITY_CATALOG } from '../src';
import { parseFilter, InvalidFilter } from '../src/filter';
import { isoToTicks, ticksToIso } from '../src/time';

describe('activity catalog', () => {
  it('lists unique, well-formed Entra activities across every area', () => {
    const names = ACTIVITY_CATALOG.map((a) => `${a.loggedByService}|${a.activityDisplayName}`);
    expect(new Set(names).size).toBe(names.length);
    const targetTypes = new Set(['User', 'Group', 'Role', 'ServicePrincipal', 'Application', 'Policy', 'Device', 'Directory', 'Other']);
    for (const a of ACTIVITY_CATALOG) {
      expect(a.weight).toBeGreaterThan(0);
      expect(a.targetTypes.length).toBeGreaterThan(0);
      for (const t of a.targetTypes) expect(targetTypes.has(t)).toBe(true);
      if (a.failureRate !== undefined) expect(a.failureRate).toBeLessThanOrEqual(1);
    }
    const categories = new Set(ACTIVITY_CATALOG.map((a) => a.category));
    for (const c of ['UserManagement', 'GroupManagement', 'RoleManagement', 'ApplicationManagement', 'Policy', 'Device', 'DirectoryManagement', 'EntitlementManagement']) expect(categories.has(c)).toBe(true);
    expect(new Set(ACTIVITY_CATALOG.map((a) => a.initiator))).toEqual(new Set(['user', 'app', 'either']));
  });
});

describe('$filter parsing', () => {
  const spec = { timeProperty: 'activityDateTime', stringProperties: ['category', 'activityDisplayName'] };

  it('reads time bounds at 100 ns precision and string clauses joined with and', () => {
    const f = parseFilter("activityDateTime ge 2026-01-01T00:00:00Z and activityDateTime lt 2026-01-02T00:00:00.0000001Z and category eq 'Group''s' and startswith(activityDisplayName, 'Add')", spec);
    expect(ticksToIso(f.fromTicks)).toBe('2026-01-01T00:00:00.0000000Z');
    expect(ticksToIso(f.toTicks)).toBe('2026-01-02T00:00:00.0000000Z');
    expect(f.equals).toEqual({ category: "Group's" });
    expect(f.startsWith).toEqual({ activityDisplayName: 'Add' });
    expect(parseFilter("category eq 'a and b'", spec).equals).toEqual({ category: 'a and b' });
  });

  it.each([
    "result eq 'success'",
    "activityDateTime ge '2026-01-01T00:00:00Z'",
    "category ne 'Device'",
    "category eq 'Device' or category eq 'Policy'",
    'activityDateTime ge yesterday',
    "startswith(result,'s')",
    "category eq 'unterminated",
  ])('rejects %s', (filter) => {
    expect(() => parseFilter(filter, spec)).toThrow(InvalidFilter);
  });

  it('round-trips seven-digit timestamps', () => {
    expect(ticksToIso(isoToTicks('2018-01-09T21:20:02.7215374Z') as number)).toBe('2018-01-09T21:20:02.7215374Z');
  });
});
