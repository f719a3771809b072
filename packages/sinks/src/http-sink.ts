import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { type HttpSinkConfig, type Logger, describeSecretRef, silentLogger } from '@entra-ingest/config';
import { compactTime, keySegment } from '@entra-ingest/store';
import { assertValidBatch, batchContentKey, batchTimeMs } from './batch';
import { encodeBody } from './http-body';
import { isRetryableStatus, parseRetryAfterMs } from './retry-policy';
import { SinkError, type DeliveryResult, type EventBatch, type Sink, type SinkDeps } from './types';

const gzip = promisify(zlib.gzip);

export interface HttpSinkTuning {
  /** Replaces the proxy-aware default dispatcher (tests, custom pools). */
  dispatcher?: Dispatcher;
}

type AttemptOutcome =
  | { ok: true; status: number }
  | { ok: false; retryable: boolean; reason: string; status?: number; retryAfterMs?: number };

/** Sent on every request so a receiver can drop a batch it has already accepted. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/**
 * POSTs events in batches of at most `batchSize`, as NDJSON, a JSON array or Splunk HEC.
 *
 * Every request carries an `Idempotency-Key` derived from its records' ids
 * (`<feed>/<source>/<windowStartCompact>/<className>/<hash of the ids>`):
 * the same key always means the same records, so a receiver that ignores a key it has accepted never drops new
 * records and never stores a batch twice. Callers send at most `maxBatchEvents` events per call (one request) and
 * checkpoint after each; only a crash between the receiver's answer and that checkpoint re-sends a batch, with the
 * same key. A receiver that ignores the key (Splunk HEC) can then see that one batch twice.
 */
export class HttpSink implements Sink {
  readonly type = 'http';
  readonly id: string;
  readonly maxBatchEvents: number;
  private readonly url: URL;
  private readonly dispatcher: Dispatcher;
  private readonly logger: Logger;

  constructor(private readonly config: HttpSinkConfig, private readonly deps: SinkDeps, tuning: HttpSinkTuning = {}) {
    this.id = config.id;
    this.maxBatchEvents = config.batchSize;
    this.url = new URL(config.url);
    this.logger = deps.logger ?? silentLogger;
    if (config.maxRetries !== undefined) {
      this.logger.warn('http sink option maxRetries is ignored: a failed batch is retried by the Temporal activity (one retry layer)', { sink: this.id });
    }
    this.dispatcher = tuning.dispatcher ?? this.createDispatcher();
  }

  /** Honours HTTP(S)_PROXY / NO_PROXY; a configured CA is trusted in addition to the public roots. */
  private createDispatcher(): Dispatcher {
    if (!this.config.caFile) return new EnvHttpProxyAgent();
    const file = path.resolve(this.deps.baseDir ?? process.cwd(), this.config.caFile);
    let pem: string;
    try {
      pem = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`http sink ${this.id}: cannot read caFile ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    const ca = [...tls.rootCertificates, pem];
    return new EnvHttpProxyAgent({ connect: { ca }, requestTls: { ca } });
  }

  /** Where events go, without query string (which might hold a token). */
  get location(): string {
    return `${this.url.origin}${this.url.pathname}`;
  }

  async deliver(batch: EventBatch, signal?: AbortSignal): Promise<DeliveryResult> {
    assertValidBatch(batch);
    const keyBase = [keySegment(batch.feed), keySegment(batch.source), compactTime(batch.windowStart), keySegment(batch.className)].join('/');
    const splunk = { fallbackTimeMs: batchTimeMs(batch), defaultSource: `entra-ingest:${batch.feed}:${batch.source}` };
    for (let start = 0; start < batch.events.length; start += this.config.batchSize) {
      const events = batch.events.slice(start, start + this.config.batchSize);
      const recordIds = batch.recordIds?.slice(start, start + this.config.batchSize);
      const key = `${keyBase}/${batchContentKey({ ...batch, events, recordIds })}`;
      const encoded = encodeBody(this.config, events, splunk);
      const body = this.config.gzip ? await gzip(encoded.body) : Buffer.from(encoded.body, 'utf8');
      const headers: Record<string, string> = { 'content-type': encoded.contentType, [IDEMPOTENCY_HEADER.toLowerCase()]: key };
      if (this.config.gzip) headers['content-encoding'] = 'gzip';
      await this.send(body, headers, events.length, signal);
    }
    return { sinkId: this.id, delivered: batch.events.length, location: this.location };
  }

  /**
   * One attempt, no retry of its own: retries are the delivery activity's (Temporal's policy), so a receiver outage
   * never keeps an activity sleeping into its timeout. A 429/503 `Retry-After` travels on the error as the next
   * retry delay.
   */
  private async send(body: Buffer, fixedHeaders: Record<string, string>, events: number, signal?: AbortSignal): Promise<void> {
    const key = fixedHeaders[IDEMPOTENCY_HEADER.toLowerCase()];
    signal?.throwIfAborted();
    const { headers, secrets } = this.resolveHeaders();
    const outcome = await this.attempt(body, { ...headers, ...fixedHeaders }, secrets, signal);
    if (outcome.ok) {
      this.logger.debug('batch delivered', { sink: this.id, idempotencyKey: key, events, status: outcome.status });
      return;
    }
    const what = `http sink ${this.id}: batch ${key}`;
    if (!outcome.retryable) throw new SinkError(`${what} rejected: ${outcome.reason}`, { retryable: false, status: outcome.status, answer: outcome.reason });
    throw new SinkError(`${what} not delivered: ${outcome.reason}`, { retryable: true, status: outcome.status, retryAfterMs: outcome.retryAfterMs });
  }

  /** Secrets are read at send time (a rotated value is picked up at once) and remembered only to mask echoes. */
  private resolveHeaders(): { headers: Record<string, string>; secrets: string[] } {
    const headers: Record<string, string> = {};
    const secrets: string[] = [];
    for (const [name, value] of Object.entries(this.config.headers)) {
      let resolved: string;
      try {
        resolved = this.deps.resolveSecret(value.secret);
      } catch (err) {
        // Retryable: fixing the secret (file, env) lets a later attempt succeed with no data lost.
        throw new SinkError(`http sink ${this.id}: header ${name} needs ${describeSecretRef(value.secret)}: ${(err as Error).message}`, { retryable: true, cause: err });
      }
      secrets.push(resolved);
      // HEC wants "Splunk <token>"; a secret holding only the token gets the scheme added.
      if (this.config.format === 'splunk-hec' && name.toLowerCase() === 'authorization' && !/^\S+\s+\S/.test(resolved)) {
        resolved = `Splunk ${resolved}`;
      }
      headers[name.toLowerCase()] = resolved;
    }
    return { headers, secrets };
  }

  private async attempt(body: Buffer, headers: Record<string, string>, secrets: string[], signal?: AbortSignal): Promise<AttemptOutcome> {
    const timeoutMs = this.config.timeout;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error('timeout')), timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    try {
      const res = await this.dispatcher.request({
        origin: this.url.origin,
        path: `${this.url.pathname}${this.url.search}`,
        method: 'POST',
        headers,
        body,
        signal: combined,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const status = res.statusCode;
      if (status >= 200 && status < 300) {
        await res.body.dump();
        return { ok: true, status };
      }
      const text = mask((await res.body.text()).slice(0, 300), secrets);
      const reason = `HTTP ${status}${text ? `: ${text.replace(/\s+/g, ' ').trim()}` : ''}`;
      if (isRetryableStatus(status)) return { ok: false, retryable: true, status, reason, retryAfterMs: parseRetryAfterMs(res.headers['retry-after']) };
      return { ok: false, retryable: false, status, reason: status < 400 ? `${reason} (redirects are not followed; configure the final URL)` : reason };
    } catch (err) {
      if (signal?.aborted) throw signal.reason ?? err; // cancelled by the caller: stop, do not retry
      if (timeout.signal.aborted) return { ok: false, retryable: true, reason: `no complete answer within ${timeoutMs} ms` };
      const code = (err as { code?: string }).code;
      if (code === 'UND_ERR_INVALID_ARG') return { ok: false, retryable: false, reason: `invalid request (check the sink's headers): ${mask((err as Error).message, secrets)}` };
      return { ok: false, retryable: true, reason: `connection error: ${code ?? mask((err as Error).message, secrets)}` };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

function mask(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[REDACTED]');
  return out;
}
