import type { S3Client } from '@aws-sdk/client-s3';
import { type Logger, type SecurityLakeSinkConfig, silentLogger } from '@entra-ingest/config';
import { keySegment } from '@entra-ingest/store';
import { assertValidBatch, batchIdentity, batchTimeMs } from './batch';
import { ocsfEventsToParquet } from './parquet/write-parquet';
import { ParquetSchemaError } from './parquet/ocsf-parquet-schema';
import { putObject, sinkS3Client } from './s3-sink';
import { SinkError, type DeliveryResult, type EventBatch, type Sink, type SinkDeps } from './types';

/** What places an object in Security Lake's custom-source layout. */
export interface SecurityLakeLayout {
  accountId: string;
  region: string;
  sourcePrefix: string;
  /** className → the location Security Lake gave that class's custom source (e.g. `ext/entra-authentication/1.0`). */
  sources: Record<string, string>;
}

/** Security Lake wants one custom source per OCSF class: its location, configured or `ext/<prefix>-<class-name>`. */
export function securityLakeLocation(layout: SecurityLakeLayout, className: string): string {
  return layout.sources[className] ?? `ext/${layout.sourcePrefix}-${keySegment(className).replace(/_/g, '-')}`;
}

/** `<location>/region=<region>/accountId=<account>/eventDay=<yyyymmdd>/<file>` for a file of events of one class. */
export function securityLakeKey(layout: SecurityLakeLayout, className: string, timeMs: number, file: string): string {
  const day = new Date(timeMs).toISOString().slice(0, 10).replace(/-/g, '');
  return `${securityLakeLocation(layout, className)}/region=${keySegment(layout.region)}/accountId=${keySegment(layout.accountId)}/eventDay=${day}/${file}`;
}

/** The batch's file name: the same records always get the same name (their content key), so a retry overwrites it. */
export function securityLakeFileName(batch: EventBatch): string {
  const id = batchIdentity(batch);
  return `${id.feed}-${id.source}-${id.window}-${id.content}.parquet`;
}

/**
 * Amazon Security Lake custom sources: each batch (one window's events of one OCSF class) becomes one Parquet object
 * under its class's source location, partitioned by region, account and event day. Names and bytes are pure
 * functions of the batch's records, so a repeated delivery overwrites the same object with the same content.
 */
export class SecurityLakeSink implements Sink {
  readonly type = 'securityLake';
  readonly id: string;
  private readonly client: S3Client;
  private readonly logger: Logger;
  private readonly layout: SecurityLakeLayout;

  constructor(private readonly config: SecurityLakeSinkConfig, deps: SinkDeps, client?: S3Client) {
    this.id = config.id;
    this.client = client ?? sinkS3Client(config, deps);
    this.logger = deps.logger ?? silentLogger;
    this.layout = { accountId: config.accountId, region: config.eventRegion ?? config.region, sourcePrefix: config.sourcePrefix, sources: config.sources };
  }

  objectKey(batch: EventBatch): string {
    return securityLakeKey(this.layout, batch.className, batchTimeMs(batch), securityLakeFileName(batch));
  }

  async deliver(batch: EventBatch, signal?: AbortSignal): Promise<DeliveryResult> {
    assertValidBatch(batch);
    const key = this.objectKey(batch);
    const location = `s3://${this.config.bucket}/${key}`;
    if (batch.events.length === 0) return { sinkId: this.id, delivered: 0, location };
    let body: Buffer;
    try {
      body = ocsfEventsToParquet(batch.className, batch.events.map((e) => JSON.parse(e) as Record<string, unknown>), 'entra-ingest');
    } catch (err) {
      // An event the class's schema cannot hold would fail the same way on every retry.
      if (err instanceof ParquetSchemaError) throw new SinkError(`security lake sink ${this.id}: ${batch.className}: ${err.message}`, { retryable: false, cause: err });
      throw err;
    }
    signal?.throwIfAborted();
    await putObject(this.client, `security lake sink ${this.id}`, this.config.bucket, key, body, 'application/vnd.apache.parquet', signal);
    this.logger.debug('wrote events', { sink: this.id, key, events: batch.events.length, bytes: body.length });
    return { sinkId: this.id, delivered: batch.events.length, location };
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
