import { randomUUID } from 'node:crypto';
import { SOURCE_SPECS, isLogSource, type LogSourceName } from '@entra-ingest/sources';
import { request, type Dispatcher } from 'undici';
import { getTokenProvider, type TokenProvider } from './auth';
import { backoffMs, sleep } from './backoff';
import { classifyGraphFailure, parseRetryAfter } from './classify';
import { cloudEndpoints, type CloudEndpoints } from './clouds';
import type { GraphConnection } from './connection';
import { GraphError, ThrottledError } from './errors';
import { createDispatcher, headerValue } from './http';
import { noopLogger, type GraphLogger } from './logger';
import type { GraphResource } from './permissions';
import { applicationUrl, deltaUrl, isSameOrigin, probeUrl, windowUrl, type DeltaSource, type GraphSource, type WindowQuery } from './queries';
import { sharedBucket, type RateLimit, type TokenBucket } from './rate-limit';

export interface GraphPage {
  records: Record<string, unknown>[];
  nextLink?: string;
  deltaLink?: string;
  requestId?: string;
  pageIndex: number;
  /** Size of the page's body in bytes. */
  bytes: number;
  /**
   * The page's body as Graph sent it (UTF-8 JSON, any byte-order mark removed): kept so that a caller storing the
   * page stores these bytes instead of writing its records as JSON again.
   */
  body: Buffer;
}

export type GraphClientEvent =
  | { kind: 'throttled'; waitMs: number; source: 'retry-after' | 'backoff' }
  | { kind: 'retry'; reason: string; attempt: number }
  | { kind: 'page'; records: number }
  /** Every HTTP exchange with Graph, for metrics: status 0 when no answer came (reset, timeout). */
  | { kind: 'response'; resource: GraphResource; status: number; durationMs: number };

export interface GraphClientOptions {
  connection: GraphConnection;
  tokenProvider?: TokenProvider;
  logger?: GraphLogger;
  /** A 429 whose Retry-After is at most this is waited out inline (default 30 s); longer → ThrottledError. */
  maxInlineRetryAfterMs?: number;
  /** Inline retries of 5xx, resets, timeouts and malformed bodies per request (default 3). */
  maxTransientRetries?: number;
  /** Inline 429 waits per request before giving the decision to the caller (default 10). */
  maxInlineThrottleWaits?: number;
  /** Client-side limit, shared per (tenant, client id) in the process, e.g. 5 per 10000 ms. */
  rateLimit?: RateLimit;
  onEvent?: (e: GraphClientEvent) => void;
  /** Backoff base for retries without Retry-After (default 500 ms); tests make it small. */
  backoffBaseMs?: number;
}

interface JsonResponse {
  json: Record<string, unknown>;
  bytes: number;
  body: Buffer;
  requestId?: string;
}

type Validate = (json: unknown) => string | undefined;

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

const validatePage: Validate = (json) => {
  if (!isPlainObject(json)) return 'the body is not a JSON object';
  if (!Array.isArray(json.value)) return 'the body has no "value" array';
  if (json.value.some((r) => !isPlainObject(r))) return '"value" holds something other than objects';
  for (const link of ['@odata.nextLink', '@odata.deltaLink']) {
    if (json[link] !== undefined && typeof json[link] !== 'string') return `"${link}" is not a string`;
  }
  return undefined;
};

const validateObject: Validate = (json) => (isPlainObject(json) ? undefined : 'the body is not a JSON object');

/** Path of a Graph URL for logs: no query (filters and skip tokens are noise, and could be long). */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.searchParams.has('$skiptoken') ? ' (skiptoken)' : u.searchParams.has('$deltatoken') ? ' (deltatoken)' : ''}`;
  } catch {
    return '(unparseable)';
  }
}

function networkReason(err: unknown): string {
  const e = err as { code?: string; name?: string; message?: string };
  return e.code ?? e.name ?? 'network error';
}

/**
 * Microsoft Graph reads for one app in one tenant: windowed audit/sign-in pages, users/groups delta, and the few
 * lookups onboarding needs. Retries what is worth retrying inline, and hands long throttling and configuration
 * problems to the caller as typed errors.
 */
export class GraphClient {
  readonly endpoints: CloudEndpoints;
  private readonly connection: GraphConnection;
  private readonly tokens: TokenProvider;
  private readonly logger: GraphLogger;
  private readonly dispatcher: Dispatcher;
  private readonly bucket?: TokenBucket;
  private readonly maxInlineRetryAfterMs: number;
  private readonly maxTransientRetries: number;
  private readonly maxInlineThrottleWaits: number;
  private readonly backoffBaseMs: number;
  private readonly onEvent: (e: GraphClientEvent) => void;

  constructor(opts: GraphClientOptions) {
    this.connection = opts.connection;
    this.endpoints = cloudEndpoints(opts.connection.cloud, { loginUrl: opts.connection.loginUrl, graphUrl: opts.connection.graphUrl });
    this.logger = opts.logger ?? noopLogger;
    this.tokens = opts.tokenProvider ?? getTokenProvider(opts.connection, this.logger);
    this.dispatcher = createDispatcher({ caPem: opts.connection.caPem, timeouts: opts.connection.timeouts });
    if (opts.rateLimit) this.bucket = sharedBucket(opts.connection.tenantId, opts.connection.clientId, opts.rateLimit);
    this.maxInlineRetryAfterMs = opts.maxInlineRetryAfterMs ?? 30_000;
    this.maxTransientRetries = opts.maxTransientRetries ?? 3;
    this.maxInlineThrottleWaits = opts.maxInlineThrottleWaits ?? 10;
    this.backoffBaseMs = opts.backoffBaseMs ?? 500;
    this.onEvent = opts.onEvent ?? (() => undefined);
  }

  /** Pages of one time window, oldest request first; `resumeFrom` continues from a nextLink of an earlier read. */
  async *windowPages(q: WindowQuery, opts: { signal?: AbortSignal; resumeFrom?: string } = {}): AsyncGenerator<GraphPage> {
    this.assertOffered(q.source);
    yield* this.pages(opts.resumeFrom ?? windowUrl(this.endpoints.graphUrl, q), q.source, opts.signal);
  }

  /** A delta inventory's changes: from a kept deltaLink, or a full initial sync. The last page carries the new deltaLink. */
  async *deltaPages(source: DeltaSource, opts: { deltaLink?: string; select?: string[]; signal?: AbortSignal } = {}): AsyncGenerator<GraphPage> {
    yield* this.pages(opts.deltaLink ?? deltaUrl(this.endpoints.graphUrl, source, opts.select), source, opts.signal);
  }

  /** The app's own secrets and certificates (for expiry warnings); needs Application.Read.All. */
  async getApplicationCredentials(appId: string, signal?: AbortSignal): Promise<{ passwordCredentials: unknown[]; keyCredentials: unknown[] }> {
    const { json: page } = await this.getJson(applicationUrl(this.endpoints.graphUrl, appId), 'applications', validatePage, signal);
    const json = (page.value as Record<string, unknown>[])[0];
    if (!json) throw new GraphError('not-found', `no application with appId ${appId} in this tenant`, { retryable: false });
    return {
      passwordCredentials: Array.isArray(json.passwordCredentials) ? json.passwordCredentials : [],
      keyCredentials: Array.isArray(json.keyCredentials) ? json.keyCredentials : [],
    };
  }

  /** One small request proving the app can read `source` (permission, licence, cloud): $top=1 for logs, an ids-only delta page for inventories. */
  async probe(source: GraphSource, signal?: AbortSignal): Promise<void> {
    if (source !== 'groups' && isLogSource(source)) this.assertOffered(source);
    await this.getJson(probeUrl(this.endpoints.graphUrl, source), source, validatePage, signal);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /** The sovereign clouds lack some report APIs: sign-ins, and (in some) everything under auditLogs/. */
  private assertOffered(source: LogSourceName): void {
    const offered = source === 'signIns' ? this.endpoints.signInsAvailable
      : SOURCE_SPECS[source].graph.path.startsWith('auditLogs/') ? this.endpoints.auditLogsAvailable
      : true;
    if (!offered) {
      throw new GraphError('unsupported-in-cloud', `Microsoft Graph in cloud "${this.connection.cloud}" does not offer ${source} ` +
        '(the Entra audit log and sign-in APIs are not available there): disable this source for this feed', { retryable: false });
    }
  }

  private async *pages(firstUrl: string, resource: GraphResource, signal?: AbortSignal): AsyncGenerator<GraphPage> {
    let url: string | undefined = firstUrl;
    let pageIndex = 0;
    while (url) {
      const { json, bytes, body, requestId } = await this.getJson(url, resource, validatePage, signal);
      const page: GraphPage = {
        records: json.value as Record<string, unknown>[],
        nextLink: json['@odata.nextLink'] as string | undefined,
        deltaLink: json['@odata.deltaLink'] as string | undefined,
        requestId,
        pageIndex: pageIndex++,
        bytes,
        body,
      };
      this.onEvent({ kind: 'page', records: page.records.length });
      url = page.nextLink;
      yield page;
    }
  }

  private emitRetry(reason: string, attempt: number, fields: Record<string, unknown>): void {
    this.onEvent({ kind: 'retry', reason, attempt });
    this.logger.warn('graph request retried', { reason, attempt, ...fields });
  }

  /** One GET with every inline recovery: throttling, transient failures, one token refresh on 401. */
  private async getJson(url: string, resource: GraphResource, validate: Validate, signal?: AbortSignal): Promise<JsonResponse> {
    if (!isSameOrigin(url, this.endpoints.graphUrl)) {
      // Checked before anything is sent: the bearer token must never reach another host.
      let origin = '(unparseable)';
      try { origin = new URL(url).origin; } catch { /* keep placeholder */ }
      const err = new GraphError('foreign-next-link', `refusing to follow a Graph link to ${origin}: only ${this.endpoints.graphUrl} is trusted with the access token`, { retryable: false });
      this.logger.error('graph link refused', { ...err.toLogFields(), origin });
      throw err;
    }
    const hadSkipToken = /[?&]\$skiptoken=/i.test(url);
    const where = describeUrl(url);
    let transientRetries = 0;
    let throttleWaits = 0;
    let refreshedAfter401 = false;
    let forceRefresh = false;

    const retryTransient = async (reason: string, err: GraphError, fields: Record<string, unknown>): Promise<void> => {
      if (transientRetries >= this.maxTransientRetries) {
        this.logger.error('graph request failed', { url: where, ...err.toLogFields(), ...fields });
        throw err;
      }
      if (err.retryAfterMs !== undefined && err.retryAfterMs > this.maxInlineRetryAfterMs) {
        // Graph asked for a long pause: the caller schedules it (e.g. Temporal's nextRetryDelay) instead of a sleep here.
        this.logger.warn('graph asked for a long pause', { url: where, ...err.toLogFields(), ...fields });
        throw err;
      }
      transientRetries++;
      this.emitRetry(reason, transientRetries, { url: where, ...fields });
      await sleep(err.retryAfterMs ?? backoffMs(transientRetries - 1, this.backoffBaseMs), signal);
    };

    for (;;) {
      if (signal?.aborted) throw signal.reason;
      if (this.bucket) await this.bucket.take(signal);

      let accessToken: string;
      try {
        accessToken = (await this.tokens.getToken({ forceRefresh, signal })).accessToken;
        forceRefresh = false;
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        const e = err instanceof GraphError ? err : new GraphError('auth-transient', `sign-in failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
        if (!e.retryable) throw e;
        await retryTransient('auth-transient', e, { kind: e.kind });
        continue;
      }

      const clientRequestId = randomUUID();
      let res: Dispatcher.ResponseData;
      let body: Buffer;
      let text: string;
      const started = performance.now();
      try {
        res = await request(url, {
          method: 'GET',
          dispatcher: this.dispatcher,
          signal,
          headers: {
            authorization: `Bearer ${accessToken}`,
            accept: 'application/json',
            'client-request-id': clientRequestId,
            'return-client-request-id': 'true',
          },
        });
        body = withoutBom(Buffer.from(await res.body.arrayBuffer()));
        text = body.toString('utf8');
        this.onEvent({ kind: 'response', resource, status: res.statusCode, durationMs: performance.now() - started });
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        this.onEvent({ kind: 'response', resource, status: 0, durationMs: performance.now() - started });
        const reason = networkReason(err);
        const e = new GraphError('transient', `Graph ${resource}: request failed (${reason}) (client-request-id ${clientRequestId})`, { clientRequestId, cause: err });
        await retryTransient(reason, e, { clientRequestId });
        continue;
      }

      const requestId = headerValue(res.headers, 'request-id');
      const ids = { status: res.statusCode, requestId, clientRequestId };
      if (res.statusCode >= 200 && res.statusCode < 300) {
        let json: unknown;
        let problem: string | undefined;
        try {
          json = JSON.parse(text);
          problem = validate(json);
        } catch {
          problem = `the body is not valid JSON (${body.length} bytes; truncated?)`;
        }
        if (problem === undefined) return { json: json as Record<string, unknown>, bytes: body.length, body, requestId };
        const e = new GraphError('malformed-response', `Graph ${resource}: malformed response: ${problem} (request-id ${requestId ?? 'none'}, client-request-id ${clientRequestId})`, { ...ids });
        await retryTransient('malformed-response', e, ids);
        continue;
      }

      if (res.statusCode === 401 && !refreshedAfter401) {
        // The token may have been revoked or rotated server-side: one fresh token, one more try.
        refreshedAfter401 = true;
        forceRefresh = true;
        this.emitRetry('unauthorized', 1, { url: where, ...ids });
        continue;
      }

      const retryAfterMs = parseRetryAfter(headerValue(res.headers, 'retry-after'));
      if (res.statusCode === 429) {
        const waitMs = retryAfterMs ?? backoffMs(throttleWaits, Math.max(this.backoffBaseMs, 1000));
        if (waitMs <= this.maxInlineRetryAfterMs && throttleWaits < this.maxInlineThrottleWaits) {
          throttleWaits++;
          this.onEvent({ kind: 'throttled', waitMs, source: retryAfterMs === undefined ? 'backoff' : 'retry-after' });
          this.logger.info('graph throttled: waiting', { url: where, waitMs, retryAfterHeader: retryAfterMs !== undefined, ...ids });
          await sleep(waitMs, signal);
          continue;
        }
        const e = classifyGraphFailure({ status: 429, bodyText: text, retryAfterMs: waitMs, requestId, clientRequestId, resource, hadSkipToken });
        this.logger.warn('graph throttled beyond the inline limit', { url: where, ...e.toLogFields() });
        throw e instanceof ThrottledError ? e : new ThrottledError(e.message, waitMs, ids);
      }

      const e = classifyGraphFailure({ status: res.statusCode, bodyText: text, retryAfterMs, requestId, clientRequestId, resource, hadSkipToken });
      if (e.kind === 'transient') {
        await retryTransient(`http-${res.statusCode}`, e, ids);
        continue;
      }
      this.logger.error('graph request failed', { url: where, ...e.toLogFields() });
      throw e;
    }
  }
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** JSON.parse refuses a byte-order mark, which some servers put before a UTF-8 body. */
function withoutBom(body: Buffer): Buffer {
  return body.subarray(0, 3).equals(UTF8_BOM) ? body.subarray(3) : body;
}
