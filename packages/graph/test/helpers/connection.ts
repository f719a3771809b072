import crypto from 'node:crypto';
import type { GraphConnection } from '../../src';
import type { FakeMicrosoft } from './fake-microsoft';

export const TENANT = '0d5f7b3e-6c1a-4c1e-9f3a-7e2b8c9d0a11';

/** A fresh secret per call, so every test gets its own msal client and token cache. */
export function newSecret(): string {
  return `sec~${crypto.randomBytes(18).toString('base64url')}`;
}

export function secretConnection(ms: FakeMicrosoft, clientSecret: string, extra: Partial<GraphConnection> = {}): GraphConnection {
  return {
    tenantId: TENANT,
    clientId: crypto.randomUUID(),
    cloud: 'custom',
    loginUrl: ms.url,
    graphUrl: ms.url,
    caPem: ms.caPem,
    credential: { kind: 'secret', clientSecret },
    ...extra,
  };
}
