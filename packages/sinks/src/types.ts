import type { Logger, SecretRef } from '@entra-ingest/config';

/** The events of one OCSF class from one pass of one window (one part of it when a class is split). */
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
  /** Delivers the whole batch or throws. Delivering the same batch again must not duplicate anything downstream. */
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
 */
export class SinkError extends Error {
  override name = 'SinkError';
  readonly retryable: boolean;
  readonly status?: number;

  constructor(message: string, opts: { retryable: boolean; status?: number; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.retryable = opts.retryable;
    if (opts.status !== undefined) this.status = opts.status;
  }
}
