import { lookupActivity, mapRecord, parseGraphTime } from '../src';
import { validator } from './helpers';

/** Guards the hot-path shortcuts: each must give what the straightforward code gave. */
describe('parseGraphTime without Date (arithmetic days)', () => {
  it('matches Date.UTC across eras, leap days and offsets', () => {
    for (const [text, want] of [
      ['2024-02-29T12:00:00Z', Date.UTC(2024, 1, 29, 12)],
      ['2000-02-29T00:00:00.5Z', Date.UTC(2000, 1, 29, 0, 0, 0, 500)],
      ['1969-12-31T23:59:59.9999999Z', Date.UTC(1969, 11, 31, 23, 59, 59, 999)],
      ['1970-01-01T00:00:00Z', 0],
      ['0100-03-01T00:00:00Z', new Date(Date.UTC(2000, 2, 1)).setUTCFullYear(100)],
      ['9999-12-31T23:59:59.999+05:30', Date.UTC(9999, 11, 31, 23, 59, 59, 999) - 330 * 60_000],
      ['2026-03-01T00:30:00-01:00', Date.UTC(2026, 2, 1, 1, 30)],
    ] as const) {
      expect(parseGraphTime(text)).toBe(want);
    }
  });

  it('rejects Feb 29 outside leap years (and 1900, 2100), keeps it in 2000 and 2400', () => {
    expect(parseGraphTime('2023-02-29T00:00:00Z')).toBeUndefined();
    expect(parseGraphTime('1900-02-29T00:00:00Z')).toBeUndefined();
    expect(parseGraphTime('2100-02-29T00:00:00Z')).toBeUndefined();
    expect(parseGraphTime('2400-02-29T00:00:00Z')).toBe(Date.UTC(2400, 1, 29));
    expect(parseGraphTime('0099-01-01T00:00:00Z')).toBeUndefined();
  });
});

describe('activity lookup shortcuts', () => {
  it('finds a row whatever the case of the display name and category', () => {
    const exact = lookupActivity('Add member to group', 'GroupManagement');
    expect(exact).toBeDefined();
    expect(lookupActivity('ADD MEMBER TO GROUP', 'groupmanagement')).toBe(exact);
    expect(lookupActivity('Update application – Certificates and secrets management ', 'ApplicationManagement')).toBe(
      lookupActivity('UPDATE APPLICATION – certificates', undefined),
    );
  });
});

describe('validator: fast check, full report', () => {
  it('still lists every problem of an invalid event', () => {
    const e = mapRecord('users', { id: 'u1', userPrincipalName: 'a@b.c' }, { observedTime: 1 }) as unknown as Record<string, unknown>;
    e.severity_id = 'high';
    e.not_an_ocsf_field = 1;
    const result = validator().validate(e);
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.errors.some((m) => m.startsWith('/severity_id: type'))).toBe(true);
    expect(result.errors.some((m) => m.includes('additionalProperties') && m.includes('(not_an_ocsf_field)'))).toBe(true);
  });

  it('accepts a valid event', () => {
    expect(validator().validate(mapRecord('users', { id: 'u1' }, { observedTime: 1 }))).toEqual({ valid: true });
  });
});
