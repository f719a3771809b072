import { GraphError } from './errors';

export type GraphSource = 'directoryAudits' | 'signIns' | 'users' | 'groups';
export type WindowSource = 'directoryAudits' | 'signIns';

export interface WindowQuery {
  source: WindowSource;
  /** Inclusive window bounds, ISO 8601. */
  from: string;
  to: string;
  /** Page size, 1..1000 (default 1000). */
  top?: number;
  /** Sign-ins only: the beta endpoint with every signInEventType (non-interactive, service principal, managed identity). */
  beta?: boolean;
}

const TIME_PROPERTY: Record<WindowSource, string> = { directoryAudits: 'activityDateTime', signIns: 'createdDateTime' };
const PATH: Record<WindowSource, string> = { directoryAudits: 'auditLogs/directoryAudits', signIns: 'auditLogs/signIns' };
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
  const top = q.top ?? 1000;
  if (!Number.isInteger(top) || top < 1 || top > 1000) {
    throw new GraphError('bad-request', `top must be an integer from 1 to 1000, got ${top}`, { retryable: false });
  }
  if (q.beta && q.source !== 'signIns') {
    throw new GraphError('bad-request', 'beta applies to signIns only', { retryable: false });
  }
  const property = TIME_PROPERTY[q.source];
  // Graph documents only eq/ge/le on these properties; overlapping boundaries are de-duplicated upstream.
  let filter = `${property} ge ${from} and ${property} le ${to}`;
  if (q.beta) {
    filter += ` and (signInEventTypes/any(t: ${ALL_SIGN_IN_EVENT_TYPES.map((t) => `t eq '${t}'`).join(' or ')}))`;
  }
  return `${graphBase}/${q.beta ? 'beta' : 'v1.0'}/${PATH[q.source]}?${queryString([['$filter', filter], ['$top', String(top)]])}`;
}

export function deltaUrl(graphBase: string, source: 'users' | 'groups', select?: string[]): string {
  const params: [string, string][] = [];
  if (select && select.length > 0) {
    const bad = select.find((s) => !/^[A-Za-z][A-Za-z0-9@.]*$/.test(s));
    if (bad !== undefined) throw new GraphError('bad-request', `select: "${bad}" is not a property name`, { retryable: false });
    params.push(['$select', select.join(',')]);
  }
  return `${graphBase}/v1.0/${source}/delta${params.length ? `?${queryString(params)}` : ''}`;
}

export function probeUrl(graphBase: string, source: GraphSource): string {
  switch (source) {
    case 'directoryAudits':
    case 'signIns':
      return `${graphBase}/v1.0/${PATH[source]}?${queryString([['$top', '1']])}`;
    case 'users':
    case 'groups':
      // The delta endpoint the ingestion itself uses (first page, ids only): proves the permission on the real path.
      return deltaUrl(graphBase, source, ['id']);
  }
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
