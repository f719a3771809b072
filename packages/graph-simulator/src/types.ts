/** Public configuration and control types of the Graph simulator. */

export interface SimulatedClient {
  clientId: string;
  /** A client secret and when it expires (ISO 8601). */
  secret?: { value: string; expiresAt: string };
  /** PEM certificate whose private key signs client assertions. */
  certificatePem?: string;
  /** Application permissions granted to the app, e.g. 'AuditLog.Read.All'. */
  permissions: string[];
  displayName?: string;
}

export interface SimulatedTenant {
  tenantId: string;
  displayName?: string;
  /** Entra ID P1/P2 licence: required for the sign-in and audit log reports. */
  premium: boolean;
  /** Which premium licence (default P2); Identity Protection's risk lists need P2, provisioning and sign-ins P1. */
  licence?: 'P1' | 'P2';
  clients: SimulatedClient[];
  users?: number;
  groups?: number;
  /**
   * Share (0..1) of directory audits whose id holds a line break — hostile input a reader must refuse (as a dead
   * letter) rather than store. Drawn per record, so every read and the ground truth agree. Default 0.
   */
  hostileAuditIds?: number;
}

export interface FaultSettings {
  /** Probabilities in 0..1 per Graph request unless said otherwise. */
  http5xx: number;
  http5xxWithRetryAfter: number;
  resetMidBody: number;
  /** How long a slow response waits before answering. */
  slowResponseMs: number;
  slowResponse: number;
  malformedJson: number;
  truncatedPage: number;
  foreignNextLink: number;
  duplicateAcrossPages: number;
  revokeTokenMidPagination: number;
  /** Tenants treated as unlicensed (403 on the reports) whatever their `premium` flag. */
  unlicensedTenants: string[];
}

export const NO_FAULTS: FaultSettings = Object.freeze({
  http5xx: 0,
  http5xxWithRetryAfter: 0,
  resetMidBody: 0,
  slowResponseMs: 30_000,
  slowResponse: 0,
  malformedJson: 0,
  truncatedPage: 0,
  foreignNextLink: 0,
  duplicateAcrossPages: 0,
  revokeTokenMidPagination: 0,
  unlicensedTenants: [] as string[],
}) as FaultSettings;

export type FaultKind = Exclude<keyof FaultSettings, 'slowResponseMs' | 'unlicensedTenants'> | 'unlicensed';

export interface LatencySettings {
  /** Median delay between an activity and its visibility in the API. */
  p50Seconds?: number;
  /** Longest delay of the tail. */
  maxSeconds?: number;
  /** Share of records in the slow tail (beyond two minutes). */
  tailShare?: number;
}

export interface ThrottleSettings {
  enabled: boolean;
  perTenantPer10s?: number;
  perAppPer10s?: number;
}

export interface SimulatorOptions {
  host?: string;
  port?: number;
  http?: boolean;
  caOut?: string;
  seed?: number;
  tenants: SimulatedTenant[];
  tokenLifetimeSeconds?: number;
  throttle?: ThrottleSettings;
  historyDays?: number;
  eventsPerMinute?: number;
  bulk?: number;
  latency?: LatencySettings;
  /** Risk records of each Identity Protection list born per minute (default: a fraction of the audit rate). */
  riskPerMinute?: number;
  /** When a risk record's state changes after it is born (each change is a new version). */
  riskChanges?: { minSeconds: number; maxSeconds: number };
  skiptokenTtlSeconds?: number;
  faults?: Partial<FaultSettings>;
  clock?: () => number;
  logger?: SimulatorLogger;
}

export interface SimulatorLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export type GroundTruthSource = 'directoryAudits' | 'signIns' | 'users' | 'devices' | 'provisioning' | 'riskDetections' | 'servicePrincipalRiskDetections' | 'riskyUsers' | 'riskyServicePrincipals';

export interface GroundTruthRecord {
  id: string;
  time: string;
  visible: boolean;
  deleted?: boolean;
  tenant?: string;
  /** Records that change (risk): which version, as the pipeline keys it (`id@lastUpdated`). */
  version?: string;
}

export interface SimulatorStats {
  requests: number;
  byStatus: Record<string, number>;
  throttled: number;
  faults: Record<string, number>;
  tokensIssued: number;
  recordsServed: number;
}

export interface RunningSimulator {
  url: string;
  caCertPem?: string;
  caPath?: string;
  setFaults(f: Partial<FaultSettings>): void;
  groundTruth(q: { source: GroundTruthSource; tenant?: string; from: string; to: string }): GroundTruthRecord[];
  stats(): SimulatorStats;
  expireSecret(tenantId: string, clientId: string): void;
  rotateSecret(tenantId: string, clientId: string, newValue: string, expiresAt: string): void;
  setLicensed(tenantId: string, premium: boolean): void;
  close(): Promise<void>;
}
