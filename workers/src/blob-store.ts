import path from 'node:path';
import { type LoadedConfig, resolveDataDir, resolveS3Settings } from '@entra-ingest/config';
import { type BlobStore, FileBlobStore, S3BlobStore, createS3Client } from '@entra-ingest/store';

/** The store the config names: `<dataDir>/store` (file, the default) or a bucket shared by every worker (s3). */
export function blobStoreFromConfig(loaded: LoadedConfig): { store: BlobStore; describe: string; close(): void } {
  const c = loaded.config.store;
  if (c.type === 's3') {
    const client = createS3Client(resolveS3Settings(c, loaded.baseDir));
    const store = new S3BlobStore({ client, bucket: c.bucket, prefix: c.prefix });
    return { store, describe: `s3://${c.bucket}/${c.prefix}/${c.endpoint ? ` at ${c.endpoint}` : ''}`, close: () => client.destroy() };
  }
  const root = path.join(resolveDataDir(loaded), 'store');
  return { store: new FileBlobStore(root), describe: root, close: () => undefined };
}
