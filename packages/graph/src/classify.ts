import { GraphError, ThrottledError } from './errors';
import { licenceFix, permissionFix, type GraphResource } from './permissions';

/** The parts of Graph's error envelope we use; both `innerError` and `innererror` spellings occur. */
export interface GraphErrorBody {
  code?: string;
  message?: string;
  requestId?: string;
  clientRequestId?: string;
  innerCode?: string;
}

export function parseGraphErrorBody(text: string): GraphErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (!error || typeof error !== 'object') return {};
  const e = error as Record<string, unknown>;
  const inner = (e.innerError ?? e.innererror) as Record<string, unknown> | undefined;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    code: str(e.code),
    message: str(e.message),
    requestId: str(inner?.['request-id']),
    clientRequestId: str(inner?.['client-request-id']),
    innerCode: str(inner?.code),
  };
}

// Codes Graph uses for a skip/page token it no longer honours.
const SKIPTOKEN_CODES = new Set(['InvalidSkipToken', 'Invalid_SkipToken', 'invalidSkipToken', 'Directory_ExpiredPageToken', 'Invalid Skip Token']);
const LICENCE_CODES = new Set(['Authentication_RequestFromNonPremiumTenantOrB2CTenant']);
// Generic codes that carry no detail; only then is the (stable, documented) skip-token wording consulted.
const GENERIC_BAD_REQUEST_CODES = new Set(['BadRequest', 'badRequest', 'Request_BadRequest', 'InvalidRequest', 'invalidRequest']);

export interface HttpFailure {
  status: number;
  bodyText: string;
  retryAfterMs?: number;
  requestId?: string;
  clientRequestId: string;
  resource: GraphResource;
  /** The request carried a $skiptoken (a followed nextLink or a resumed read). */
  hadSkipToken: boolean;
}

/** Turns a non-2xx Graph response into a typed error whose message says what to do about it. */
export function classifyGraphFailure(f: HttpFailure): GraphError {
  const body = parseGraphErrorBody(f.bodyText);
  const requestId = f.requestId ?? body.requestId;
  const details = { status: f.status, graphCode: body.code, requestId, clientRequestId: f.clientRequestId };
  const ids = `(HTTP ${f.status}${body.code ? ` ${body.code}` : ''}${requestId ? `, request-id ${requestId}` : ''}, client-request-id ${f.clientRequestId})`;
  const what = `Graph ${f.resource}`;
  const code = body.code ?? '';

  if (f.status === 429) {
    const waitMs = f.retryAfterMs ?? 0;
    return new ThrottledError(`${what} throttled the app: retry after ${(waitMs / 1000).toFixed(1)} s ${ids}`, waitMs, details);
  }
  if (f.status >= 500 || f.status === 408) {
    return new GraphError('transient', `${what} failed with a server error; this is retried ${ids}`, { ...details, retryAfterMs: f.retryAfterMs });
  }
  if (f.status === 401) {
    return new GraphError('unauthorized', `${what} rejected a freshly issued access token ${ids}: check that the app's token is for ` +
      'this Graph cloud (cloud / graphUrl), that the app is enabled in the tenant, and that admin consent was granted', details);
  }
  if (f.status === 403) {
    if (LICENCE_CODES.has(code)) return new GraphError('license-missing', `${what}: ${licenceFix(f.resource)} ${ids}`, details);
    // Authorization_RequestDenied and Authentication_MSGraphPermissionMissing, and any other 403: a grant is missing.
    return new GraphError('permission-missing', `${what} denied access: ${permissionFix(f.resource)} ${ids}`, details);
  }
  if (f.status === 400) {
    const skipTokenByCode = SKIPTOKEN_CODES.has(code) || SKIPTOKEN_CODES.has(body.innerCode ?? '');
    const skipTokenByWording = f.hadSkipToken && GENERIC_BAD_REQUEST_CODES.has(code) && /skip\s?token/i.test(body.message ?? '');
    if (skipTokenByCode || skipTokenByWording) {
      return new GraphError('skiptoken-invalid', `${what}: the skip token of this page is no longer valid; read the window again from its start ${ids}`, details);
    }
    return new GraphError('bad-request', `${what} refused the query${body.message ? `: ${body.message}` : ''} ${ids}`, details);
  }
  if (f.status === 404) {
    return new GraphError('not-found', `${what}: not found${body.message ? ` (${body.message})` : ''}; check the Graph URL of the cloud and the ids used ${ids}`, details);
  }
  if (f.status === 410) {
    return new GraphError('sync-state-not-found', `${what}: Graph no longer knows this delta token; a full resynchronisation is needed ${ids}`, details);
  }
  return new GraphError('bad-request', `${what} answered with an unexpected status${body.message ? `: ${body.message}` : ''} ${ids}`, details);
}

/** Retry-After is seconds (possibly fractional) or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
