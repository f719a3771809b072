import https from 'node:https';
import {
  DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException, paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { BlobNotFoundError, type BlobStore, type VersionedBlob } from './blob-store';
import { assertSafeKey } from './keys';

/** What an S3 client needs, with secrets already resolved by the caller (the store never sees a config file). */
export interface S3ClientSettings {
  region: string;
  /** An S3-compatible server's URL; AWS's own endpoint when absent. */
  endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible servers need. */
  forcePathStyle?: boolean;
  /** Extra CA certificate (PEM) trusted in addition to the public roots, for a server with a private CA. */
  caPem?: string;
  /**
   * Called whenever the SDK needs credentials; absent: the SDK's default chain (environment, shared config, web
   * identity / pod identity, container and instance metadata).
   */
  credentials?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>;
  /** Attempts per request by the SDK itself. Default 1: retries are Temporal's (one layer); more adds a second layer. */
  maxAttempts?: number;
}

export function createS3Client(s: S3ClientSettings): S3Client {
  return new S3Client({
    region: s.region,
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    forcePathStyle: s.forcePathStyle ?? false,
    ...(s.credentials ? { credentials: s.credentials } : {}),
    retryMode: 'standard',
    maxAttempts: s.maxAttempts ?? 1,
    requestHandler: {
      connectionTimeout: 5_000,
      requestTimeout: 60_000,
      ...(s.caPem ? { httpsAgent: new https.Agent({ keepAlive: true, ca: [...tlsRoots(), s.caPem] }) } : {}),
    },
  });
}

function tlsRoots(): readonly string[] {
  // Required lazily: only a configured CA needs the public roots spelled out (passing `ca` replaces the defaults).
  return (require('node:tls') as typeof import('node:tls')).rootCertificates;
}

/** Why a store call failed, with the bucket and key, so an operator sees where without reading SDK internals. */
export class S3StoreError extends Error {
  override name = 'S3StoreError';
  constructor(message: string, readonly status: number | undefined, options?: { cause?: unknown }) {
    super(message, options);
  }
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function codeOf(err: unknown): string {
  return err instanceof S3ServiceException ? err.name : (err as Error | undefined)?.name ?? String(err);
}

export interface S3BlobStoreOptions {
  client: S3Client;
  bucket: string;
  /** Every key lives under this prefix in the bucket (e.g. `entra-ingest/prod`), so one bucket can hold several stores. */
  prefix?: string;
}

/**
 * Blobs as objects of one bucket. A PUT replaces an object whole (readers see old or new, never a part), so `put` is
 * atomic as the interface asks; conditional writes use `If-None-Match: *` and `If-Match: <ETag>`, so two workers on
 * different hosts racing on one key cannot both win.
 */
export class S3BlobStore implements BlobStore {
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly prefix: string;

  constructor(opts: S3BlobStoreOptions) {
    if (!opts.bucket) throw new Error('S3BlobStore needs a bucket');
    this.client = opts.client;
    this.bucket = opts.bucket;
    const prefix = (opts.prefix ?? '').replace(/^\/+|\/+$/g, '');
    if (prefix) assertSafeKey(prefix);
    this.prefix = prefix ? `${prefix}/` : '';
  }

  async put(key: string, data: string | Buffer): Promise<void> {
    const objectKey = this.objectKey(key);
    await this.call('put', key, () => this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: objectKey, Body: data })));
  }

  async get(key: string): Promise<Buffer> {
    return (await this.getVersionedOrThrow(key)).data;
  }

  async getVersioned(key: string): Promise<VersionedBlob | undefined> {
    try {
      return await this.getVersionedOrThrow(key);
    } catch (err) {
      if (err instanceof BlobNotFoundError) return undefined;
      throw err;
    }
  }

  async putIfVersion(key: string, data: string | Buffer, expectedVersion: string | null): Promise<string | undefined> {
    const condition = expectedVersion === null ? { IfNoneMatch: '*' } : { IfMatch: expectedVersion };
    const objectKey = this.objectKey(key);
    try {
      const out = await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: objectKey, Body: data, ...condition }));
      if (!out.ETag) throw new S3StoreError(`s3 store: put of ${this.describe(key)} returned no ETag`, undefined);
      return out.ETag;
    } catch (err) {
      // 412: the condition failed (another writer got there first). 409: a concurrent conditional write to the
      // same key is in flight on S3; either way this writer lost the race and must re-read.
      const status = statusOf(err);
      if (status === 412 || status === 409) return undefined;
      // If-Match on a key that no longer exists is a lost race too (it was deleted since it was read).
      if (expectedVersion !== null && codeOf(err) === 'NoSuchKey') return undefined;
      throw this.wrap('conditional put', key, err);
    }
  }

  async exists(key: string): Promise<boolean> {
    const objectKey = this.objectKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw this.wrap('head', key, err);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const folder = this.normalizePrefix(prefix);
    const keys: string[] = [];
    const listPrefix = `${this.prefix}${folder ? `${folder}/` : ''}`;
    try {
      for await (const page of paginateListObjectsV2({ client: this.client, pageSize: 1000 }, { Bucket: this.bucket, Prefix: listPrefix })) {
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key.slice(this.prefix.length));
      }
    } catch (err) {
      throw this.wrap('list', folder || '(root)', err);
    }
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    const objectKey = this.objectKey(key);
    await this.call('delete', key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey })));
  }

  async deletePrefix(prefix: string): Promise<number> {
    const folder = this.normalizePrefix(prefix);
    if (!folder) throw new Error('deletePrefix needs a non-empty prefix: refusing to delete the whole store');
    const keys = await this.list(folder);
    for (let i = 0; i < keys.length; i += 1000) {
      const chunk = keys.slice(i, i + 1000);
      const out = await this.call('delete', folder, () =>
        this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: chunk.map((k) => ({ Key: this.objectKey(k) })), Quiet: true } })),
      );
      const failed = out.Errors?.filter((e) => e.Code !== 'NoSuchKey') ?? [];
      if (failed.length) {
        throw new S3StoreError(`s3 store: could not delete ${failed.length} object(s) under ${this.describe(folder)}, e.g. ${failed[0]!.Key}: ${failed[0]!.Code}`, undefined);
      }
    }
    return keys.length;
  }

  private async getVersionedOrThrow(key: string): Promise<VersionedBlob> {
    const objectKey = this.objectKey(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      const data = Buffer.from(await out.Body!.transformToByteArray());
      return { data, version: out.ETag ?? '' };
    } catch (err) {
      // The code, not the status: some servers answer 404 to an unknown access key too.
      if (codeOf(err) === 'NoSuchKey') throw new BlobNotFoundError(key);
      throw this.wrap('get', key, err);
    }
  }

  private async call<T>(what: string, key: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      throw this.wrap(what, key, err);
    }
  }

  private wrap(what: string, key: string, err: unknown): S3StoreError {
    const status = statusOf(err);
    return new S3StoreError(`s3 store: ${what} of ${this.describe(key)} failed: ${codeOf(err)}${status ? ` (HTTP ${status})` : ''}: ${(err as Error).message}`, status, { cause: err });
  }

  private describe(key: string): string {
    return `s3://${this.bucket}/${this.prefix}${key}`;
  }

  private normalizePrefix(prefix: string): string {
    const folder = prefix.replace(/\/+$/, '');
    if (folder) assertSafeKey(folder);
    return folder;
  }

  private objectKey(key: string): string {
    assertSafeKey(key);
    return `${this.prefix}${key}`;
  }
}
