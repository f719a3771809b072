// The simulator itself: start it (HTTPS or HTTP, a temp CA when asked) and the quick start's demo tenant.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SOURCE_SPECS } from '@entra-ingest/sources';
import { expireSecret, groundTruth, rotateSecret, setLicensed, validateFaults } from './controls';
import { requestHandler } from './server';
import { SimulatorState } from './state';
import { generateServerTls } from './tls';
import type { RunningSimulator, SimulatedTenant, SimulatorOptions } from './types';

export async function startSimulator(opts: SimulatorOptions): Promise<RunningSimulator> {
  const state = new SimulatorState(opts);
  const host = opts.host ?? '127.0.0.1';
  const handler = requestHandler(state);
  let server: Server;
  let caCertPem: string | undefined;
  let caPath: string | undefined;
  let tempDir: string | undefined;
  if (opts.http) {
    server = createHttpServer(handler);
  } else {
    const tls = await generateServerTls(host);
    caCertPem = tls.caCertPem;
    server = createHttpsServer({ key: tls.keyPem, cert: tls.certPem }, handler);
    if (opts.caOut) {
      caPath = path.resolve(opts.caOut);
    } else {
      tempDir = await mkdtemp(path.join(tmpdir(), 'graph-simulator-'));
      caPath = path.join(tempDir, 'ca.pem');
    }
    await writeFile(caPath, caCertPem);
  }
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  state.url = `${opts.http ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  state.logger.info('graph simulator listening', { url: state.url, tenants: [...state.tenants.keys()] });

  return {
    url: state.url,
    caCertPem,
    caPath,
    setFaults: (f) => {
      state.faults = { ...state.faults, ...validateFaults(f) };
    },
    groundTruth: (q) => groundTruth(state, q),
    stats: () => JSON.parse(JSON.stringify(state.stats)),
    expireSecret: (t, c) => expireSecret(state, t, c),
    rotateSecret: (t, c, v, e) => rotateSecret(state, t, c, v, e),
    setLicensed: (t, p) => setLicensed(state, t, p),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    },
  };
}

export const DEMO_TENANT_ID = '7f3e2a1b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
export const DEMO_CLIENT_ID = '3b9d6c2e-8f1a-4b7c-9d0e-5a6b7c8d9e0f';
/** Every permission a source of the registry needs, and the two lookups beside them (groups, app credentials). */
export const DEMO_PERMISSIONS = [...new Set([...Object.values(SOURCE_SPECS).flatMap((s) => s.permissions), 'Group.Read.All', 'Application.Read.All'])];

export interface DemoTenantOverrides {
  tenantId?: string;
  clientId?: string;
  /** The demo client's secret; default 'simulator-demo-secret'. */
  clientSecret?: string;
  secretExpiresAt?: string;
  certificatePem?: string;
  displayName?: string;
  premium?: boolean;
  permissions?: string[];
  users?: number;
  groups?: number;
}

/** The quick start's demo tenant: fixed ids, one client with a secret (and optionally a certificate). */
export function demoTenant(overrides: DemoTenantOverrides = {}): SimulatedTenant {
  return {
    tenantId: overrides.tenantId ?? DEMO_TENANT_ID,
    displayName: overrides.displayName ?? 'Contoso Demo',
    premium: overrides.premium ?? true,
    users: overrides.users,
    groups: overrides.groups,
    clients: [
      {
        clientId: overrides.clientId ?? DEMO_CLIENT_ID,
        secret: {
          value: overrides.clientSecret ?? 'simulator-demo-secret',
          expiresAt: overrides.secretExpiresAt ?? new Date(Date.now() + 180 * 86_400_000).toISOString(),
        },
        certificatePem: overrides.certificatePem,
        permissions: overrides.permissions ?? DEMO_PERMISSIONS,
        displayName: 'entra-ingest demo',
      },
    ],
  };
}
