import { SOURCE_SPECS, isLogSource, type DeltaSourceName, type LogSourceName, type SourceName } from '@entra-ingest/sources';
import { GraphError } from './errors';

/** What `probe` can check: every source of the registry, and groups. */
export type GraphSource = SourceName | 'groups';
export type WindowSource = LogSourceName;
export type DeltaSource = DeltaSourceName | 'groups';

export interface WindowQuery {
  source: WindowSource;
  /** Inclusive window bounds, ISO 8601. */
  from: string;
  to: string;
  /** Page size, 1 to the source's largest page (the default). */
  top?: number;
  /** Sign-ins only: the beta endpoint with every signInEventType (non-interactive, service principal, managed identity). */
  beta?: boolean;
}

const ALL_SIGN_IN_EVENT_TYPES = ['interactiveUser', 'nonInteractiveUser', 'servicePrincipal', 'managedIdentity'];

/** Graph's OData date-time literal: UTC, unquoted, milliseconds only when present. */
export function odataDateTime(value: string, name: string): string {
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(t)) {
    throw new GraphError('bad-request', `${name} must be an ISO 8601 date-time like 2026-11-01T00:00:00Z, got "${value}"`, { retryable: false });
  }
  return new Date(t).toISOString().replace(/\.000Z$/, 'Z');
}

/** OData query string with `$` names kept literal and values percent-encoded. */
function queryString(params: [string, string][]): string {
  return params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

export function windowUrl(graphBase: string, q: WindowQuery): string {
  const from = odataDateTime(q.from, 'from');
  const to = odataDateTime(q.to, 'to');
  if (Date.parse(from) > Date.parse(to)) {
    throw new GraphError('bad-request', `window start ${from} is after its end ${to}`, { retryable: false });
  }
  const spec = SOURCE_SPECS[q.source];
  const max = spec.pageSize.max;
  const top = q.top ?? max;
  if (!Number.isInteger(top) || top < 1 || top > max) {
    throw new GraphError('bad-request', `top must be an integer from 1 to ${max} for ${q.source}, got ${top}`, { retryable: false });
  }
  if (q.beta && q.source !== 'signIns') {
    throw new GraphError('bad-request', 'beta applies to signIns only', { retryable: false });
  }
  const property = spec.timeField;
  // Graph documents only eq/ge/le on these properties; overlapping boundaries are de-duplicated upstream.
  let filter = `${property} ge ${from} and ${property} le ${to}`;
  if (q.beta) {
    filter += ` and (signInEventTypes/any(t: ${ALL_SIGN_IN_EVENT_TYPES.map((t) => `t eq '${t}'`).join(' or ')}))`;
  }
  return `${graphBase}/${q.beta ? 'beta' : spec.graph.version}/${spec.graph.path}?${queryString([['$filter', filter], ['$top', String(top)]])}`;
}

export function deltaUrl(graphBase: string, source: DeltaSource, select?: string[]): string {
  const params: [string, string][] = [];
  if (select && select.length > 0) {
    const bad = select.find((s) => !/^[A-Za-z][A-Za-z0-9@.]*$/.test(s));
    if (bad !== undefined) throw new GraphError('bad-request', `select: "${bad}" is not a property name`, { retryable: false });
    params.push(['$select', select.join(',')]);
  }
  const path = source === 'groups' ? 'v1.0/groups/delta' : `${SOURCE_SPECS[source].graph.version}/${SOURCE_SPECS[source].graph.path}`;
  return `${graphBase}/${path}${params.length ? `?${queryString(params)}` : ''}`;
}

export function probeUrl(graphBase: string, source: GraphSource): string {
  if (source !== 'groups' && isLogSource(source)) {
    const spec = SOURCE_SPECS[source];
    return `${graphBase}/${spec.graph.version}/${spec.graph.path}?${queryString([['$top', '1']])}`;
  }
  // The delta endpoint the ingestion itself uses (first page, ids only): proves the permission on the real path.
  return deltaUrl(graphBase, source, ['id']);
}

export function applicationUrl(graphBase: string, appId: string): string {
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(appId)) {
    throw new GraphError('bad-request', `application id "${appId}" is not a GUID`, { retryable: false });
  }
  return `${graphBase}/v1.0/applications?${queryString([['$filter', `appId eq '${appId}'`], ['$select', 'id,appId,passwordCredentials,keyCredentials']])}`;
}

/** True when `link` goes to exactly the configured Graph origin (scheme, host and port); tokens go nowhere else. */
export function isSameOrigin(link: string, graphBase: string): boolean {
  try {
    return new URL(link).origin === new URL(graphBase).origin;
  } catch {
    return false;
  }
}
