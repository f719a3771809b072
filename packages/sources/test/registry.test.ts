import { DELTA_SOURCES, LOG_SOURCES, SOURCE_NAMES, SOURCE_SPECS, describeRequirements, isSourceName, licenceCovers } from '../src';

describe('source registry', () => {
  it('splits every source into exactly one kind', () => {
    expect([...LOG_SOURCES, ...DELTA_SOURCES].sort()).toEqual([...SOURCE_NAMES].sort());
  });

  it('gives every log source a time field and a retention, and no delta source either', () => {
    for (const name of SOURCE_NAMES) {
      const s = SOURCE_SPECS[name] as { kind: string; timeField?: string; retentionDays?: number; graph: { path: string } };
      if (s.kind === 'log') {
        expect(s.timeField).toMatch(/DateTime$/);
        expect(s.retentionDays).toBeGreaterThan(0);
        expect(s.graph.path).not.toMatch(/\/delta$/);
      } else {
        expect(s.timeField).toBeUndefined();
        expect(s.graph.path).toMatch(/\/delta$/);
      }
    }
  });

  it('windows changing records on their last-update time, so each version falls in one window', () => {
    for (const name of LOG_SOURCES) {
      const s = SOURCE_SPECS[name];
      if (s.changing) expect(s.timeField).toMatch(/LastUpdatedDateTime$/i);
    }
  });

  it('knows its own names and nothing else', () => {
    expect(isSourceName('riskyUsers')).toBe(true);
    expect(isSourceName('toString')).toBe(false);
    expect(isSourceName('groups')).toBe(false);
  });

  it('orders licences', () => {
    expect(licenceCovers('P2', 'P1')).toBe(true);
    expect(licenceCovers('P1', 'P2')).toBe(false);
    expect(licenceCovers('none', 'none')).toBe(true);
  });
});

describe('describeRequirements', () => {
  it('names permission, licence and retention, capped by the feed', () => {
    expect(describeRequirements('signIns', 7)).toBe('permission AuditLog.Read.All; licence Entra ID P1; retention 7 days');
    expect(describeRequirements('users')).toBe('permission User.Read.All; licence no licence; delta inventory');
  });
});
