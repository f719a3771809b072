import { deviceRecord } from '../../graph-simulator/src/delta';
import { SimulatorState } from '../../graph-simulator/src/state';
import { TenantModel } from '../../graph-simulator/src/tenant-model';
import { VERSIONED_SOURCES, versionGroundTruth } from '../../graph-simulator/src/versioned-logs';
import type { EntraSource } from '../src';

/**
 * The simulator's records of the sources added after audits, sign-ins and users: its devices, and every version of
 * its provisioning and Identity Protection records over one simulated day (a risk record's atRisk, confirmed,
 * remediated, …). Deterministic: a fixed seed and clock.
 */
export function simulatedNewSourceRecords(tenantId: string): Array<{ where: string; source: EntraSource; record: unknown }> {
  const out: Array<{ where: string; source: EntraSource; record: unknown }> = [];
  const tenant = new TenantModel(7, { tenantId, premium: true, clients: [], users: 40 });
  tenant.devices.forEach((_, i) => out.push({ where: `simulator device ${i}`, source: 'devices', record: deviceRecord(tenant, i) }));
  const now = Date.parse('2026-03-03T00:00:00Z');
  const state = new SimulatorState({ seed: 7, clock: () => now, historyDays: 1, eventsPerMinute: 0.3, riskPerMinute: 0.1, tenants: [{ tenantId, premium: true, clients: [], users: 40 }] });
  const runtime = state.tenants.get(tenantId)!;
  const dayTicks = 86_400 * 10_000_000;
  for (const source of VERSIONED_SOURCES) {
    versionGroundTruth(runtime, source, state.nowTicks() - dayTicks, state.nowTicks(), state.nowTicks(), state.riskChanges)
      .forEach((v, i) => out.push({ where: `simulator ${source} ${i}`, source, record: v.build() }));
  }
  return out;
}
