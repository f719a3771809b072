import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type Logger, type S3ConnectionConfig, type S3SinkConfig, resolveS3Settings, silentLogger } from '@entra-ingest/config';
import { createS3Client } from '@entra-ingest/store';
import { assertValidBatch } from './batch';
import { ndjsonBuffer } from './ndjson';
import { fileSinkRelativePath } from './file-sink';
import { SinkError, type DeliveryResult, type EventBatch, type Sink, type SinkDeps } from './types';

const gzip = promisify(zlib.gzip);

/** One S3 client per sink, built from the sink's connection settings (secrets resolved on each credential refresh). */
export function sinkS3Client(config: S3ConnectionConfig, deps: SinkDeps): S3Client {
  return createS3Client(resolveS3Settings(config, deps.baseDir ?? process.cwd()));
}

/** Every S3 failure is worth retrying: S3 never rejects the bytes themselves, and a wrong bucket or key is fixed by the operator. */
export async function putObject(client: S3Client, sinkId: string, bucket: string, key: string, body: Buffer, contentType: string, signal?: AbortSignal): Promise<void> {
  try {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }), signal ? { abortSignal: signal } : {});
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    throw new SinkError(`${sinkId}: cannot put s3://${bucket}/${key}: ${(err as Error).name}${status ? ` (HTTP ${status})` : ''}: ${(err as Error).message}`, {
      retryable: true, ...(status ? { status } : {}), cause: err,
    });
  }
}

/**
 * NDJSON (gzip by default) objects, one per (window, pass, class, part), under the same relative names as the file
 * sink's files. The name and the bytes are pure functions of the batch and a PUT replaces an object whole, so
 * delivering a batch again overwrites the object with identical content: idempotent, never a duplicate.
 */
export class S3Sink implements Sink {
  readonly type = 's3';
  readonly id: string;
  private readonly client: S3Client;
  private readonly logger: Logger;

  constructor(private readonly config: S3SinkConfig, deps: SinkDeps, client?: S3Client) {
    this.id = config.id;
    this.client = client ?? sinkS3Client(config, deps);
    this.logger = deps.logger ?? silentLogger;
  }

  /** The object key of a batch: `<prefix>/<className>/<yyyy>/<mm>/<dd>/<feed>-<source>-<window>-p<pass>[-part<n>].ndjson[.gz]`. */
  objectKey(batch: EventBatch): string {
    return `${this.config.prefix}/${fileSinkRelativePath(batch, this.config.gzip).split(path.sep).join('/')}`;
  }

  async deliver(batch: EventBatch, signal?: AbortSignal): Promise<DeliveryResult> {
    assertValidBatch(batch);
    const key = this.objectKey(batch);
    const location = `s3://${this.config.bucket}/${key}`;
    if (batch.events.length === 0) return { sinkId: this.id, delivered: 0, location };
    const text = ndjsonBuffer(batch.events);
    const body = this.config.gzip ? await gzip(text) : text;
    signal?.throwIfAborted();
    await putObject(this.client, `s3 sink ${this.id}`, this.config.bucket, key, body, this.config.gzip ? 'application/gzip' : 'application/x-ndjson', signal);
    this.logger.debug('wrote events', { sink: this.id, key, events: batch.events.length, bytes: body.length });
    return { sinkId: this.id, delivered: batch.events.length, location };
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
