import { cloudEndpoints, GraphError } from '../src';

describe('cloudEndpoints', () => {
  it.each([
    ['global', 'https://login.microsoftonline.com', 'https://graph.microsoft.com', true],
    ['usgov', 'https://login.microsoftonline.us', 'https://graph.microsoft.us', true],
    ['usgovdod', 'https://login.microsoftonline.us', 'https://dod-graph.microsoft.us', true],
    ['china', 'https://login.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn', false],
  ] as const)('%s: login %s, Graph %s', (cloud, loginUrl, graphUrl, auditLogs) => {
    expect(cloudEndpoints(cloud)).toEqual({ loginUrl, graphUrl, auditLogsAvailable: auditLogs, signInsAvailable: auditLogs });
  });

  it('custom: takes explicit origins and drops a trailing slash', () => {
    expect(cloudEndpoints('custom', { loginUrl: 'https://127.0.0.1:8443/', graphUrl: 'https://127.0.0.1:8443' })).toMatchObject({
      loginUrl: 'https://127.0.0.1:8443', graphUrl: 'https://127.0.0.1:8443', auditLogsAvailable: true,
    });
  });

  it('custom: refuses a missing URL, plain-http login, paths and credentials in the URL', () => {
    const kindOf = (f: () => unknown) => {
      try { f(); } catch (err) { return [(err as GraphError).kind, (err as Error).message]; }
      return undefined;
    };
    expect(kindOf(() => cloudEndpoints('custom', { graphUrl: 'https://x.test' }))).toEqual(['auth-config', expect.stringContaining('needs loginUrl')]);
    expect(kindOf(() => cloudEndpoints('custom', { loginUrl: 'http://127.0.0.1:1', graphUrl: 'https://x.test' }))).toEqual(['auth-config', expect.stringContaining('loginUrl must use https')]);
    expect(kindOf(() => cloudEndpoints('custom', { loginUrl: 'https://l.test', graphUrl: 'http://graph.example.com' }))).toEqual(['auth-config', expect.stringContaining('graphUrl must use https')]);
    expect(kindOf(() => cloudEndpoints('custom', { loginUrl: 'https://l.test/tenant', graphUrl: 'https://g.test' }))).toEqual(['auth-config', expect.stringContaining('bare origin')]);
    expect(kindOf(() => cloudEndpoints('custom', { loginUrl: 'https://u:p@l.test', graphUrl: 'https://g.test' }))).toEqual(['auth-config', expect.stringContaining('bare origin')]);
    // A loopback Graph may be plain http (the simulator's --http mode); the login never.
    expect(cloudEndpoints('custom', { loginUrl: 'https://127.0.0.1:1', graphUrl: 'http://127.0.0.1:2' }).graphUrl).toBe('http://127.0.0.1:2');
  });

  it('named clouds refuse URL overrides instead of silently ignoring them', () => {
    expect(() => cloudEndpoints('global', { graphUrl: 'https://127.0.0.1:1' })).toThrow(/apply only to cloud "custom"/);
  });
});
