/**
 * The one list of what this service reads from Microsoft Graph. The config schema, workflow types, Graph queries,
 * OCSF mappers, CLI `--source` choices, `check` and the simulator derive from it; adding a source is an entry here,
 * a mapper file and simulator data. Pure data with no imports: workflow code (Temporal's sandbox) reads it too.
 *
 * Two kinds, and code branches on the kind, never on a name:
 * - `log`: records carry a time (`timeField`) and are read in time windows (`timeField ge from and le to`), swept
 *   again for late arrivals and backfilled within the retention.
 * - `delta`: an inventory read through Graph's delta query: a full read, then only changes (with `@removed`
 *   tombstones) from the kept deltaLink.
 * A `log` source whose records change after they are first seen (`changing`) is windowed on its last-update time,
 * so each change is a new version that falls in exactly one window; its record key is `id@<last update>`.
 *
 * Facts are Microsoft's documentation as read for each endpoint (permissions: least privileged application
 * permission; licence: what Graph demands before it answers; retention: how far back Graph serves).
 */

export type SourceKind = 'log' | 'delta';
export type Licence = 'none' | 'P1' | 'P2';

/** OCSF 1.8.0 classes the mappers emit (the ocsf package checks this list against its class table). */
export type OcsfClassUid = 2004 | 3001 | 3002 | 3004 | 3005 | 3006 | 5001 | 5003;

export interface SourceSpec {
  kind: SourceKind;
  /** Human name: OCSF metadata.product.feature.name and labels in `check`. */
  title: string;
  graph: {
    version: 'v1.0' | 'beta';
    /** Path under the version, e.g. auditLogs/directoryAudits; a delta source's path ends in /delta. */
    path: string;
  };
  /** log only: the record's time property windows filter on (OData `ge`/`le` with unquoted ISO literals). */
  timeField?: string;
  /** The largest page Graph serves, and how it is asked for ($top on reports, Prefer: odata.maxpagesize on delta). */
  pageSize: { max: number; via: '$top' | 'prefer' };
  /** Application permissions every read needs (all of them), with admin consent. */
  permissions: readonly string[];
  licence: Licence;
  /** log only: days Graph keeps records (with the licence the source needs). */
  retentionDays?: number;
  ocsfClasses: readonly OcsfClassUid[];
  /** Records change after first seen (risk state): each change is delivered once as a new version. */
  changing: boolean;
}

export const SOURCE_SPECS = {
  directoryAudits: {
    kind: 'log',
    title: 'Directory Audits',
    graph: { version: 'v1.0', path: 'auditLogs/directoryAudits' },
    timeField: 'activityDateTime',
    pageSize: { max: 1000, via: '$top' },
    permissions: ['AuditLog.Read.All', 'Directory.Read.All'],
    licence: 'none',
    retentionDays: 30,
    ocsfClasses: [3001, 3004, 3005, 3006],
    changing: false,
  },
  signIns: {
    kind: 'log',
    title: 'Sign-ins',
    graph: { version: 'v1.0', path: 'auditLogs/signIns' },
    timeField: 'createdDateTime',
    pageSize: { max: 1000, via: '$top' },
    permissions: ['AuditLog.Read.All'],
    licence: 'P1',
    retentionDays: 30,
    ocsfClasses: [3002],
    changing: false,
  },
  provisioning: {
    kind: 'log',
    title: 'Provisioning',
    graph: { version: 'v1.0', path: 'auditLogs/provisioning' },
    timeField: 'activityDateTime',
    pageSize: { max: 1000, via: '$top' },
    permissions: ['AuditLog.Read.All'],
    licence: 'P1',
    retentionDays: 30,
    ocsfClasses: [3001, 3004],
    changing: false,
  },
  riskDetections: {
    kind: 'log',
    title: 'Risk Detections',
    graph: { version: 'v1.0', path: 'identityProtection/riskDetections' },
    timeField: 'lastUpdatedDateTime',
    pageSize: { max: 500, via: '$top' },
    permissions: ['IdentityRiskEvent.Read.All'],
    licence: 'P2',
    retentionDays: 90,
    ocsfClasses: [2004],
    changing: true,
  },
  servicePrincipalRiskDetections: {
    kind: 'log',
    title: 'Service Principal Risk Detections',
    graph: { version: 'v1.0', path: 'identityProtection/servicePrincipalRiskDetections' },
    timeField: 'lastUpdatedDateTime',
    pageSize: { max: 500, via: '$top' },
    permissions: ['IdentityRiskyServicePrincipal.Read.All'],
    licence: 'P2',
    retentionDays: 90,
    ocsfClasses: [2004],
    changing: true,
  },
  riskyUsers: {
    kind: 'log',
    title: 'Risky Users',
    graph: { version: 'v1.0', path: 'identityProtection/riskyUsers' },
    timeField: 'riskLastUpdatedDateTime',
    pageSize: { max: 500, via: '$top' },
    permissions: ['IdentityRiskyUser.Read.All'],
    licence: 'P2',
    retentionDays: 90,
    ocsfClasses: [2004],
    changing: true,
  },
  riskyServicePrincipals: {
    kind: 'log',
    title: 'Risky Service Principals',
    graph: { version: 'v1.0', path: 'identityProtection/riskyServicePrincipals' },
    timeField: 'riskLastUpdatedDateTime',
    pageSize: { max: 500, via: '$top' },
    permissions: ['IdentityRiskyServicePrincipal.Read.All'],
    licence: 'P2',
    retentionDays: 90,
    ocsfClasses: [2004],
    changing: true,
  },
  users: {
    kind: 'delta',
    title: 'Users',
    graph: { version: 'v1.0', path: 'users/delta' },
    pageSize: { max: 999, via: 'prefer' },
    permissions: ['User.Read.All'],
    licence: 'none',
    ocsfClasses: [5003],
    changing: false,
  },
  devices: {
    kind: 'delta',
    title: 'Devices',
    graph: { version: 'v1.0', path: 'devices/delta' },
    pageSize: { max: 999, via: 'prefer' },
    permissions: ['Device.Read.All'],
    licence: 'none',
    ocsfClasses: [5001],
    changing: false,
  },
} as const satisfies Record<string, SourceSpec>;

export type SourceName = keyof typeof SOURCE_SPECS;
type Specs = typeof SOURCE_SPECS;
/** Sources read in time windows (scheduled windows, sweeps and backfills). */
export type LogSourceName = { [S in SourceName]: Specs[S]['kind'] extends 'log' ? S : never }[SourceName];
/** Inventories read through a delta query. */
export type DeltaSourceName = { [S in SourceName]: Specs[S]['kind'] extends 'delta' ? S : never }[SourceName];

/** Every source, in the registry's order (the order of `check`, the CLI's choices and the docs). */
export const SOURCE_NAMES = Object.keys(SOURCE_SPECS) as SourceName[];
export const LOG_SOURCES = SOURCE_NAMES.filter((s): s is LogSourceName => SOURCE_SPECS[s].kind === 'log');
export const DELTA_SOURCES = SOURCE_NAMES.filter((s): s is DeltaSourceName => SOURCE_SPECS[s].kind === 'delta');

export function isSourceName(value: unknown): value is SourceName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SOURCE_SPECS, value);
}

export function sourceSpec(name: SourceName): SourceSpec {
  return SOURCE_SPECS[name];
}

export const isLogSource = (name: SourceName): name is LogSourceName => SOURCE_SPECS[name].kind === 'log';
export const isDeltaSource = (name: SourceName): name is DeltaSourceName => SOURCE_SPECS[name].kind === 'delta';

/** The property a log source is windowed on. */
export function timeFieldOf(name: LogSourceName): string {
  return SOURCE_SPECS[name].timeField;
}

/** Licences in the order they include each other: a P2 tenant has everything P1 gives. */
export function licenceCovers(have: Licence, need: Licence): boolean {
  const rank: Record<Licence, number> = { none: 0, P1: 1, P2: 2 };
  return rank[have] >= rank[need];
}

const LICENCE_LABELS: Record<Licence, string> = { none: 'no licence', P1: 'Entra ID P1', P2: 'Entra ID P2' };

/**
 * What reading a source takes and keeps, for `check` and the docs: e.g. "permission IdentityRiskEvent.Read.All;
 * licence Entra ID P2; retention 30 days". `retentionCapDays` is the feed's own retention setting, when lower.
 */
export function describeRequirements(name: SourceName, retentionCapDays?: number): string {
  const spec: SourceSpec = SOURCE_SPECS[name];
  const parts = [`permission ${spec.permissions.join(' + ')}`, `licence ${LICENCE_LABELS[spec.licence]}`];
  if (spec.retentionDays !== undefined) {
    const days = retentionCapDays !== undefined ? Math.min(retentionCapDays, spec.retentionDays) : spec.retentionDays;
    parts.push(`retention ${days} days`);
  } else {
    parts.push('delta inventory');
  }
  return parts.join('; ');
}
