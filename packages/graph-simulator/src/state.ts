/** Everything a running simulator knows: resolved options, tenants, their event streams and mutable controls. */
import { randomBytes } from 'node:crypto';
import { DirectoryChanges } from './directory-changes';
import { BUCKET_TICKS, DEFAULT_LATENCY, EventStream, type LatencyModel } from './event-stream';
import { hashInts } from './prng';
import { Rng } from './prng';
import { TenantModel } from './tenant-model';
import { Throttle } from './throttle';
import { msToTicks } from './time';
import type { Licence } from '@entra-ingest/sources';
import { NO_FAULTS, type FaultSettings, type SimulatorOptions, type SimulatorStats, type SimulatorLogger } from './types';
import { DEFAULT_RISK_CHANGES, type RiskChangeDelays } from './versioned-logs';

export const RETENTION_DAYS = 30;
/** Graph keeps delta state for directory objects for seven days. */
export const DELTA_TOKEN_DAYS = 7;

export interface TenantRuntime {
  model: TenantModel;
  audits: EventStream;
  signIns: EventStream;
  changes: DirectoryChanges;
  provisioning: EventStream;
  riskDetections: EventStream;
  spRiskDetections: EventStream;
  riskyUsers: EventStream;
  riskyServicePrincipals: EventStream;
}

const NOOP_LOGGER: SimulatorLogger = { debug() {}, info() {}, warn() {}, error() {} };

export class SimulatorState {
  url = '';
  readonly key = randomBytes(32);
  readonly seed: number;
  readonly clock: () => number;
  readonly tenants = new Map<string, TenantRuntime>();
  readonly throttle: Throttle | undefined;
  readonly skiptokenTtlMs: number;
  readonly tokenLifetimeSeconds: number | undefined;
  readonly historyStartMs: number;
  readonly logger: SimulatorLogger;
  readonly riskChanges: RiskChangeDelays;
  faults: FaultSettings;
  readonly faultRng: Rng;
  readonly revokedTokens = new Set<string>();
  readonly stats: SimulatorStats = { requests: 0, byStatus: {}, throttled: 0, faults: {}, tokensIssued: 0, recordsServed: 0 };

  constructor(opts: SimulatorOptions) {
    if (!opts.tenants || opts.tenants.length === 0) throw new Error('graph simulator: at least one tenant is required');
    this.seed = opts.seed ?? 1;
    this.clock = opts.clock ?? Date.now;
    this.logger = opts.logger ?? NOOP_LOGGER;
    this.skiptokenTtlMs = (opts.skiptokenTtlSeconds ?? 300) * 1000;
    this.tokenLifetimeSeconds = opts.tokenLifetimeSeconds;
    this.riskChanges = opts.riskChanges ?? DEFAULT_RISK_CHANGES;
    this.faults = { ...NO_FAULTS, ...(opts.faults ?? {}) };
    this.faultRng = new Rng(hashInts(this.seed, 0xfa17));
    const throttle = opts.throttle ?? { enabled: true };
    this.throttle = throttle.enabled ? new Throttle({ perTenantPer10s: throttle.perTenantPer10s ?? 5, perAppPer10s: throttle.perAppPer10s ?? 122 }) : undefined;

    const historyDays = Math.min(opts.historyDays ?? 7, RETENTION_DAYS);
    const historySeconds = historyDays * 86_400;
    this.historyStartMs = this.clock() - historySeconds * 1000;
    const firstTicks = Math.floor(msToTicks(this.historyStartMs) / BUCKET_TICKS) * BUCKET_TICKS;
    const eventsPerMinute = opts.eventsPerMinute ?? 30;
    const auditRate = opts.bulk !== undefined && historySeconds > 0 ? opts.bulk / historySeconds : eventsPerMinute / 60;
    const latency: LatencyModel = { ...DEFAULT_LATENCY, ...(opts.latency ?? {}) };
    const changeLatency: LatencyModel = { p50Seconds: Math.min(latency.p50Seconds, 5), maxSeconds: Math.min(latency.maxSeconds, 60), tailShare: 0 };
    // Directory objects change far less often than the audit log grows (most audits are not user changes).
    const changeRate = Math.max(eventsPerMinute / 60 / 400, 1 / 1800);

    for (const tenant of opts.tenants) {
      const model = new TenantModel(this.seed, tenant);
      if (this.tenants.has(model.tenantId)) throw new Error(`graph simulator: tenant ${model.tenantId} is configured twice`);
      const stream = (source: number, rate: number, lat: LatencyModel): EventStream => new EventStream(hashInts(model.salt, source), rate, lat, firstTicks);
      this.tenants.set(model.tenantId, {
        model,
        audits: stream(1, auditRate, latency),
        signIns: stream(2, auditRate * 3, latency),
        changes: new DirectoryChanges(model, stream(3, changeRate, changeLatency), stream(4, changeRate, changeLatency)),
        // The newer logs are rarer than audits: provisioning a third of the rate, risk far less.
        provisioning: stream(5, auditRate / 3, latency),
        riskDetections: stream(6, opts.riskPerMinute !== undefined ? opts.riskPerMinute / 60 : auditRate / 10, changeLatency),
        spRiskDetections: stream(7, opts.riskPerMinute !== undefined ? opts.riskPerMinute / 60 : auditRate / 40, changeLatency),
        riskyUsers: stream(8, opts.riskPerMinute !== undefined ? opts.riskPerMinute / 60 : auditRate / 20, changeLatency),
        riskyServicePrincipals: stream(9, opts.riskPerMinute !== undefined ? opts.riskPerMinute / 60 : auditRate / 40, changeLatency),
      });
    }
  }

  nowTicks(): number {
    return msToTicks(this.clock());
  }

  findTenant(idOrDomain: string): TenantRuntime | undefined {
    const key = idOrDomain.toLowerCase();
    const direct = this.tenants.get(key);
    if (direct) return direct;
    for (const t of this.tenants.values()) if (t.model.domain === key) return t;
    return undefined;
  }

  isLicensed(t: TenantRuntime): boolean {
    return t.model.premium && !this.faults.unlicensedTenants.map((x) => x.toLowerCase()).includes(t.model.tenantId);
  }

  /** The tenant's Entra ID licence now: none when unlicensed (flag, fault or control), else P1 or P2. */
  licenceOf(t: TenantRuntime): Licence {
    return this.isLicensed(t) ? t.model.licence : 'none';
  }

  /** Draws whether a fault of this kind happens on this request, and counts it. */
  roll(kind: keyof FaultSettings): boolean {
    const p = this.faults[kind];
    if (typeof p !== 'number' || p <= 0) return false;
    const hit = this.faultRng.float() < p;
    if (hit) this.countFault(kind);
    return hit;
  }

  countFault(kind: string): void {
    this.stats.faults[kind] = (this.stats.faults[kind] ?? 0) + 1;
  }
}
