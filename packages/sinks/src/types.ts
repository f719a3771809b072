import type { Logger, SecretRef } from '@entra-ingest/config';

/** Events of one OCSF class from one window, with the ids of the records they came from. */
export interface EventBatch {
  feed: string;
  source: string;
  windowStart: string; // ISO
  pass: number;
  classUid: number;
  /** OCSF class name, e.g. 'account_change': the partition folder of the file sink. */
  className: string;
  /** When a class is written in several parts, their number (0, 1, …); each part is delivered on its own. */
  part?: number;
  /** Serialized OCSF events, one JSON text each, without newlines. */
  events: string[];
  /**
   * The record id of each event (same order). A batch's name and Idempotency-Key are derived from these, so the same
   * key always means the same records; without them, from the events' bytes.
   */
  recordIds?: string[];
  /**
   * Set when the same records are sent to a sink again on purpose after it refused them (`dead-letters --resend`):
   * it enters the content key, so the request is not taken for the refused one (a receiver may answer a repeated
   * Idempotency-Key with the answer it gave first), while a retry of the resend itself keeps its key.
   */
  keyScope?: string;
  /** Time used for date partitions; the window start when absent. */
  eventTimeMs?: number;
}

export interface DeliveryResult {
  sinkId: string;
  delivered: number;
  /** Where the events went: a file path or the receiver URL (without query string). */
  location: string;
}

export interface Sink {
  readonly id: string;
  readonly type: string;
  /** Most events one deliver call sends as one unit (one request, one file); callers that checkpoint batch by it. */
  readonly maxBatchEvents?: number;
  /**
   * Delivers the whole batch or throws. Delivering the same batch (the same record ids) again must not duplicate
   * anything downstream: names and keys come from the content, never from when or by which window it was sent.
   */
  deliver(batch: EventBatch, signal?: AbortSignal): Promise<DeliveryResult>;
  close(): Promise<void>;
}

export interface SinkDeps {
  /** Absolute or relative (to the process) data folder; relative sink roots resolve against it. */
  dataDir: string;
  resolveSecret: (ref: SecretRef) => string;
  /** Folder that relative file options (an HTTP sink's caFile) resolve against: the config's folder. Default: cwd. */
  baseDir?: string;
  logger?: Logger;
}

/**
 * A delivery that failed. `retryable: false` means the destination rejected the data itself (retrying the same
 * bytes cannot succeed); `retryable: true` means try again later (the Temporal activity retry does that).
 * `status` is the receiver's HTTP status; `answer` what it said (for dead letters); `retryAfterMs` the receiver's
 * Retry-After, which the activity turns into its next retry delay.
 */
export class SinkError extends Error {
  override name = 'SinkError';
  readonly retryable: boolean;
  readonly status?: number;
  readonly answer?: string;
  readonly retryAfterMs?: number;

  constructor(message: string, opts: { retryable: boolean; status?: number; answer?: string; retryAfterMs?: number; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.retryable = opts.retryable;
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.answer !== undefined) this.answer = opts.answer;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
  }

  /** The receiver refused these events themselves (4xx other than 408/429): sending them again cannot succeed. */
  get rejectsEvents(): boolean {
    return !this.retryable && this.status !== undefined && this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}
