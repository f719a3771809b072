// `--store s3`: every worker gets its own folder (config, secrets, data directory) and shares nothing with the others
// but Temporal and one S3-compatible server (versitygw), which holds the claim checks, manifests and the delivered
// index (`store: s3`) and receives the events in place of the file sink (an `s3` sink, gzip NDJSON).
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { type BlobStore, S3BlobStore, createS3Client } from '@entra-ingest/store';
import { locateVersitygw, startS3Server, type RunningS3Server } from '../../packages/dev-server/src';

const gunzip = promisify(zlib.gunzip);
const BUCKET = 'chaos-run';
const STORE_PREFIX = 'entra-ingest';
const SINK_PREFIX = 'ocsf';

export interface ChaosS3 {
  server: RunningS3Server;
  /** The `store:` section and the sink replacing the file sink, as a worker's config has them. */
  storeConfig(): Record<string, unknown>;
  sinkConfig(): Record<string, unknown>;
  /** Creates worker n's own folder (config, client secret, CA, S3 keys) and returns its config file. */
  prepareWorker(n: number): string;
  /** Writes the rotated client secret into every worker's own folder. */
  rotateSecret(value: string): void;
  /** The store every worker uses (claim checks, record index, dead letters), as the controller reads it. */
  store(): BlobStore;
  /** Every event the s3 sink received: (source, id, object key) per copy. */
  sinkEvents(): Promise<{ source: string; id: string; file: string }[]>;
  /** Checks that the workers really shared nothing: distinct folders, no local store, the store's objects in S3. */
  isolationProblems(): Promise<string[]>;
  close(): Promise<void>;
}

const connection = (s: RunningS3Server) => ({
  bucket: BUCKET, endpoint: s.endpoint, forcePathStyle: true, region: s.region,
  credentials: { accessKeyId: { file: 's3-access-key' }, secretAccessKey: { file: 's3-secret-key' } },
});

export async function startChaosS3(opts: {
  dir: string;
  /** The controller's copies of the shared inputs: config text (YAML) per worker, current client secret, CA. */
  configText: () => string;
  secretFile: string;
  caFile: string;
}): Promise<ChaosS3> {
  const root = path.resolve(__dirname, '../..');
  const binary = locateVersitygw({ projectRoot: root, install: false }).path;
  const server = await startS3Server({ binary, dir: path.join(opts.dir, 's3'), logFile: path.join(opts.dir, 's3-server.log') });
  const client = createS3Client({
    region: server.region, endpoint: server.endpoint, forcePathStyle: true,
    credentials: async () => ({ accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey }),
  });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const workersDir = path.join(opts.dir, 'workers');
  const folders: string[] = [];
  return {
    server,
    storeConfig: () => ({ type: 's3', ...connection(server), prefix: STORE_PREFIX }),
    sinkConfig: () => ({ type: 's3', id: 's3', ...connection(server), prefix: SINK_PREFIX }),
    prepareWorker(n) {
      const folder = path.join(workersDir, `worker-${n}`);
      fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
      fs.copyFileSync(opts.secretFile, path.join(folder, 'client-secret'));
      fs.copyFileSync(opts.caFile, path.join(folder, 'ca.pem'));
      fs.writeFileSync(path.join(folder, 's3-access-key'), server.accessKeyId, { mode: 0o600 });
      fs.writeFileSync(path.join(folder, 's3-secret-key'), server.secretAccessKey, { mode: 0o600 });
      const configFile = path.join(folder, 'feeds.yaml');
      fs.writeFileSync(configFile, opts.configText());
      folders.push(folder);
      return configFile;
    },
    rotateSecret(value) {
      for (const folder of folders) {
        const file = path.join(folder, 'client-secret');
        fs.writeFileSync(`${file}.tmp`, value, { mode: 0o600 });
        fs.renameSync(`${file}.tmp`, file);
      }
    },
    store: () => new S3BlobStore({ client, bucket: BUCKET, prefix: STORE_PREFIX }),
    async sinkEvents() {
      const sink = new S3BlobStore({ client, bucket: BUCKET, prefix: SINK_PREFIX });
      const out: { source: string; id: string; file: string }[] = [];
      for (const key of await sink.list('')) {
        const name = key.split('/').pop()!;
        const text = (await gunzip(await sink.get(key))).toString('utf8');
        for (const line of text.split('\n')) {
          if (line) out.push({ source: name.split('-')[1]!, id: (JSON.parse(line) as { metadata: { uid: string } }).metadata.uid, file: name });
        }
      }
      return out;
    },
    async isolationProblems() {
      const problems: string[] = [];
      if (folders.length < 2) problems.push(`only ${folders.length} worker folder(s)`);
      if (new Set(folders).size !== folders.length) problems.push('two workers shared a folder');
      for (const folder of folders) {
        if (fs.existsSync(path.join(folder, 'data', 'store'))) problems.push(`${folder} has a local store folder: a worker did not use S3`);
        if (fs.existsSync(path.join(folder, 'data', 'dead-letter'))) problems.push(`${folder} has local dead letters: they belong in the store`);
      }
      const manifests = (await new S3BlobStore({ client, bucket: BUCKET, prefix: STORE_PREFIX }).list('windows')).length;
      if (manifests === 0) problems.push('the S3 store holds no window objects: the workers did not use it');
      return problems;
    },
    async close() {
      client.destroy();
      await server.stop();
    },
  };
}
