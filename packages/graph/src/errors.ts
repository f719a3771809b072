/**
 * Typed Graph and sign-in errors. Callers branch on `kind` and `retryable`, never on messages; messages say what to
 * fix (permission, licence, portal step) and carry Graph's request-id, which Microsoft support asks for.
 */
export type GraphErrorKind =
  | 'throttled' | 'transient' | 'auth-config' | 'auth-transient' | 'unauthorized'
  | 'permission-missing' | 'license-missing' | 'bad-request' | 'skiptoken-invalid' | 'not-found' | 'sync-state-not-found'
  | 'foreign-next-link' | 'malformed-response' | 'unsupported-in-cloud';

const RETRYABLE_KINDS = new Set<GraphErrorKind>(['throttled', 'transient', 'auth-transient', 'malformed-response']);

export interface GraphErrorDetails {
  retryable?: boolean;
  retryAfterMs?: number;
  status?: number;
  graphCode?: string;
  requestId?: string;
  clientRequestId?: string;
  cause?: unknown;
}

export class GraphError extends Error {
  override name = 'GraphError';
  readonly kind: GraphErrorKind;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly status?: number;
  readonly graphCode?: string;
  readonly requestId?: string;
  readonly clientRequestId?: string;

  constructor(kind: GraphErrorKind, message: string, details: GraphErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.retryable = details.retryable ?? RETRYABLE_KINDS.has(kind);
    this.retryAfterMs = details.retryAfterMs;
    this.status = details.status;
    this.graphCode = details.graphCode;
    this.requestId = details.requestId;
    this.clientRequestId = details.clientRequestId;
  }

  /** Loggable fields; never includes tokens (none are ever stored on the error). */
  toLogFields(): Record<string, unknown> {
    return {
      kind: this.kind, retryable: this.retryable, status: this.status, graphCode: this.graphCode,
      requestId: this.requestId, clientRequestId: this.clientRequestId, retryAfterMs: this.retryAfterMs,
    };
  }
}

/** Sign-in configuration problems (wrong/expired secret, unknown app or tenant, bad scope): not retryable. */
export class AuthConfigError extends GraphError {
  override name = 'AuthConfigError';
  constructor(message: string, readonly aadstsCode?: string, details: GraphErrorDetails = {}) {
    super('auth-config', message, { ...details, retryable: false });
  }
}

/** 429 whose Retry-After is longer than the caller is willing to wait inline; `retryAfterMs` says how long. */
export class ThrottledError extends GraphError {
  override name = 'ThrottledError';
  constructor(message: string, retryAfterMs: number, details: GraphErrorDetails = {}) {
    super('throttled', message, { ...details, retryAfterMs, retryable: true });
  }
}

export function isGraphError(err: unknown): err is GraphError {
  return err instanceof GraphError;
}
