import { deltaUrl, isSameOrigin, parseGraphErrorBody, parseRetryAfter, probeUrl, windowUrl } from '../src';

const decodedQuery = (url: string) => Object.fromEntries(new URL(url).searchParams.entries());

describe('window queries', () => {
  it('directoryAudits: activityDateTime ge/le with unquoted UTC dates, $top 1000, v1.0', () => {
    const url = windowUrl('https://graph.microsoft.com', { source: 'directoryAudits', from: '2026-11-01T00:00:00Z', to: '2026-11-01T06:00:00.000Z' });
    expect(new URL(url).pathname).toBe('/v1.0/auditLogs/directoryAudits');
    expect(decodedQuery(url)).toEqual({
      $filter: 'activityDateTime ge 2026-11-01T00:00:00Z and activityDateTime le 2026-11-01T06:00:00Z',
      $top: '1000',
    });
    // `$` names stay literal and spaces are percent-encoded, as Graph's examples show.
    expect(url).toContain('?$filter=activityDateTime%20ge%202026-11-01T00%3A00%3A00Z');
  });

  it('sign-ins: createdDateTime, offsets normalised to UTC, milliseconds kept when present', () => {
    const url = windowUrl('https://graph.microsoft.us', { source: 'signIns', from: '2026-11-01T02:00:00+02:00', to: '2026-11-01T06:00:00.250Z', top: 50 });
    expect(new URL(url).pathname).toBe('/v1.0/auditLogs/signIns');
    expect(decodedQuery(url)).toEqual({ $filter: 'createdDateTime ge 2026-11-01T00:00:00Z and createdDateTime le 2026-11-01T06:00:00.250Z', $top: '50' });
  });

  it('sign-ins beta: every signInEventType', () => {
    const url = windowUrl('https://graph.microsoft.com', { source: 'signIns', from: '2026-11-01T00:00:00Z', to: '2026-11-01T01:00:00Z', beta: true });
    expect(new URL(url).pathname).toBe('/beta/auditLogs/signIns');
    expect(decodedQuery(url).$filter).toBe(
      "createdDateTime ge 2026-11-01T00:00:00Z and createdDateTime le 2026-11-01T01:00:00Z and " +
      "(signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser' or t eq 'servicePrincipal' or t eq 'managedIdentity'))",
    );
  });

  it('refuses bad bounds, reversed windows, out-of-range $top and beta on audits', () => {
    const q = { source: 'directoryAudits' as const, from: '2026-11-01T00:00:00Z', to: '2026-11-01T06:00:00Z' };
    expect(() => windowUrl('https://g', { ...q, from: 'yesterday' })).toThrow(/from must be an ISO 8601 date-time/);
    expect(() => windowUrl('https://g', { ...q, from: q.to, to: q.from })).toThrow(/after its end/);
    expect(() => windowUrl('https://g', { ...q, top: 1001 })).toThrow(/top must be an integer from 1 to 1000/);
    expect(() => windowUrl('https://g', { ...q, beta: true })).toThrow(/signIns only/);
  });

  it('delta, probe URLs', () => {
    expect(deltaUrl('https://g.test', 'users', ['id', 'displayName'])).toBe('https://g.test/v1.0/users/delta?$select=id%2CdisplayName');
    expect(deltaUrl('https://g.test', 'groups')).toBe('https://g.test/v1.0/groups/delta');
    expect(() => deltaUrl('https://g.test', 'users', ['id&$x=1'])).toThrow(/not a property name/);
    expect(decodedQuery(probeUrl('https://g.test', 'signIns'))).toEqual({ $top: '1' });
    expect(probeUrl('https://g.test', 'users')).toBe('https://g.test/v1.0/users/delta?$select=id');
  });

  it('same origin means scheme, host and port', () => {
    expect(isSameOrigin('https://graph.microsoft.com/v1.0/x?$skiptoken=1', 'https://graph.microsoft.com')).toBe(true);
    expect(isSameOrigin('https://graph.microsoft.com:443/v1.0/x', 'https://graph.microsoft.com')).toBe(true);
    expect(isSameOrigin('http://graph.microsoft.com/v1.0/x', 'https://graph.microsoft.com')).toBe(false);
    expect(isSameOrigin('https://graph.microsoft.com:8443/v1.0/x', 'https://graph.microsoft.com')).toBe(false);
    expect(isSameOrigin('https://graph.microsoft.com.evil.test/v1.0/x', 'https://graph.microsoft.com')).toBe(false);
    expect(isSameOrigin('not a url', 'https://graph.microsoft.com')).toBe(false);
  });
});

describe('response parsing', () => {
  it('Retry-After: fractional seconds and HTTP dates', () => {
    expect(parseRetryAfter('2.5')).toBe(2500);
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('error envelope: innerError and innererror spellings', () => {
    const body = (inner: string) => JSON.stringify({ error: { code: 'X', message: 'm', [inner]: { 'request-id': 'r1', 'client-request-id': 'c1' } } });
    expect(parseGraphErrorBody(body('innerError'))).toEqual({ code: 'X', message: 'm', requestId: 'r1', clientRequestId: 'c1', innerCode: undefined });
    expect(parseGraphErrorBody(body('innererror'))).toMatchObject({ requestId: 'r1' });
    expect(parseGraphErrorBody('<html>')).toEqual({});
  });
});
