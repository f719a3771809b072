import crypto from 'node:crypto';
import { startSimulator, type RunningSimulator, type SimulatedTenant, type SimulatorOptions } from '@entra-ingest/graph-simulator';
import type { GraphConnection } from '../../src';

export const SIM_TENANT = crypto.randomUUID();
export const SIM_CLIENT = crypto.randomUUID();
export const SIM_SECRET = `sim~${crypto.randomBytes(16).toString('base64url')}`;
const ALL_PERMISSIONS = ['AuditLog.Read.All', 'Directory.Read.All', 'User.Read.All', 'GroupMember.Read.All', 'Application.Read.All'];

export function tenant(overrides: Partial<SimulatedTenant> & { clients?: SimulatedTenant['clients'] } = {}): SimulatedTenant {
  return {
    tenantId: SIM_TENANT,
    premium: true,
    clients: [{ clientId: SIM_CLIENT, secret: { value: SIM_SECRET, expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString() }, permissions: ALL_PERMISSIONS }],
    ...overrides,
  };
}

export function simulator(opts: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  return startSimulator({ tenants: [tenant()], seed: 7, historyDays: 2, ...opts });
}

export function simConnection(sim: RunningSimulator, extra: Partial<GraphConnection> = {}): GraphConnection {
  return {
    tenantId: SIM_TENANT,
    clientId: SIM_CLIENT,
    cloud: 'custom',
    loginUrl: sim.url,
    graphUrl: sim.url,
    caPem: sim.caCertPem,
    credential: { kind: 'secret', clientSecret: SIM_SECRET },
    ...extra,
  };
}

/** A 6-hour window ending two hours ago, on whole hours: every record in it is past the visibility delay. */
export function pastWindow(hours = 6): { from: string; to: string } {
  const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000);
  const start = new Date(end.getTime() - hours * 3_600_000);
  return { from: start.toISOString().replace('.000Z', 'Z'), to: new Date(end.getTime() - 1000).toISOString().replace('.000Z', 'Z') };
}
