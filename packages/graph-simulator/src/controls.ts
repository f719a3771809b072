/**
 * Test-only controls: ground truth, faults, statistics, credentials and licences. Shared by the programmatic
 * API and the `/_simulator/*` HTTP endpoints (which a real Graph deployment never has).
 */
import { randomUUID } from 'node:crypto';
import { reportGroundTruth } from './reports';
import type { SimulatorState, TenantRuntime } from './state';
import { isoToTicks, ticksToIso } from './time';
import type { FaultSettings, GroundTruthRecord, GroundTruthSource } from './types';
import { VERSIONED_SOURCES, versionGroundTruth, type VersionedSource } from './versioned-logs';
import { SOURCE_SPECS } from '@entra-ingest/sources';

const GROUND_TRUTH_SOURCES: readonly string[] = ['directoryAudits', 'signIns', 'users', 'devices', ...VERSIONED_SOURCES];

export class ControlError extends Error {}

export function groundTruth(state: SimulatorState, q: { source: GroundTruthSource; tenant?: string; from: string; to: string }): GroundTruthRecord[] {
  if (!GROUND_TRUTH_SOURCES.includes(q.source)) throw new ControlError(`source must be one of ${GROUND_TRUTH_SOURCES.join(', ')}, got "${q.source}"`);
  const from = isoToTicks(q.from);
  const to = isoToTicks(q.to);
  if (from === undefined) throw new ControlError(`from must be an ISO 8601 date-time, got "${q.from}"`);
  if (to === undefined) throw new ControlError(`to must be an ISO 8601 date-time, got "${q.to}"`);
  let tenants: TenantRuntime[] = [...state.tenants.values()];
  if (q.tenant) {
    const t = state.findTenant(q.tenant);
    if (!t) throw new ControlError(`unknown tenant "${q.tenant}"`);
    tenants = [t];
  }
  const nowTicks = state.nowTicks();
  const out: (GroundTruthRecord & { ticks: number })[] = [];
  for (const t of tenants) {
    if (q.source === 'devices') {
      // The simulated devices never change: all of them exist from the start of the history.
      for (const d of t.model.devices) out.push({ id: d.id, ticks: 0, time: ticksToIso(0), visible: true, tenant: t.model.tenantId });
    } else if ((VERSIONED_SOURCES as readonly string[]).includes(q.source)) {
      const source = q.source as VersionedSource;
      for (const v of versionGroundTruth(t, source, from, to, nowTicks, state.riskChanges)) {
        const time = ticksToIso(v.ticks);
        const changing = SOURCE_SPECS[source].changing;
        out.push({ id: v.key, ticks: v.ticks, time, visible: v.visibleTicks <= nowTicks, tenant: t.model.tenantId, ...(changing ? { version: `${v.key}@${time}` } : {}) });
      }
    } else if (q.source === 'users') {
      t.changes.advanceTo(nowTicks);
      for (const c of t.changes.userChanges(from, Math.min(to, nowTicks))) {
        out.push({ id: c.user.id, ticks: c.ticks, time: ticksToIso(c.ticks), visible: c.visibleTicks <= nowTicks, deleted: c.kind === 'delete', tenant: t.model.tenantId });
      }
    } else {
      for (const r of reportGroundTruth(state, t, q.source as 'directoryAudits' | 'signIns', from, to)) out.push({ id: r.id, ticks: r.ticks, time: ticksToIso(r.ticks), visible: r.visible, tenant: t.model.tenantId });
    }
  }
  out.sort((a, b) => a.ticks - b.ticks);
  return out.map(({ ticks: _ticks, ...rest }) => rest);
}

const PROBABILITIES = ['http5xx', 'http5xxWithRetryAfter', 'resetMidBody', 'slowResponse', 'malformedJson', 'truncatedPage', 'foreignNextLink', 'duplicateAcrossPages', 'revokeTokenMidPagination'] as const;

export function validateFaults(input: unknown): Partial<FaultSettings> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new ControlError('faults must be a JSON object');
  const out: Partial<FaultSettings> = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if ((PROBABILITIES as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new ControlError(`faults.${key} must be a probability between 0 and 1, got ${JSON.stringify(value)}`);
      (out as Record<string, number>)[key] = value;
    } else if (key === 'slowResponseMs') {
      if (typeof value !== 'number' || !(value >= 0)) throw new ControlError(`faults.slowResponseMs must be a number of milliseconds >= 0, got ${JSON.stringify(value)}`);
      out.slowResponseMs = value;
    } else if (key === 'unlicensedTenants') {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new ControlError('faults.unlicensedTenants must be an array of tenant ids');
      out.unlicensedTenants = value as string[];
    } else {
      throw new ControlError(`unknown fault "${key}" (known: ${[...PROBABILITIES, 'slowResponseMs', 'unlicensedTenants'].join(', ')})`);
    }
  }
  return out;
}

function client(state: SimulatorState, tenantId: string, clientId: string) {
  const t = state.findTenant(tenantId);
  if (!t) throw new ControlError(`unknown tenant "${tenantId}"`);
  const c = t.model.findClient(clientId);
  if (!c) throw new ControlError(`unknown client "${clientId}" in tenant "${tenantId}"`);
  return c;
}

export function expireSecret(state: SimulatorState, tenantId: string, clientId: string): void {
  const c = client(state, tenantId, clientId);
  if (!c.secret) throw new ControlError(`client "${clientId}" has no secret`);
  c.secret = { ...c.secret, expiresAt: new Date(state.clock() - 1000).toISOString() };
}

export function rotateSecret(state: SimulatorState, tenantId: string, clientId: string, value: string, expiresAt: string): void {
  const c = client(state, tenantId, clientId);
  if (!value) throw new ControlError('the new secret value must not be empty');
  if (Number.isNaN(Date.parse(expiresAt))) throw new ControlError(`expiresAt must be an ISO 8601 date-time, got "${expiresAt}"`);
  c.secret = { value, expiresAt: new Date(expiresAt).toISOString() };
  c.secretKeyId = randomUUID();
  c.secretStart = new Date(state.clock()).toISOString();
}

export function setLicensed(state: SimulatorState, tenantId: string, premium: boolean): void {
  const t = state.findTenant(tenantId);
  if (!t) throw new ControlError(`unknown tenant "${tenantId}"`);
  t.model.premium = premium;
}
