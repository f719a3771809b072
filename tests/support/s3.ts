// The integration run's S3-compatible server (started by the global setup): a fresh bucket per test file.
import crypto from 'node:crypto';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '@entra-ingest/store';

export interface TestS3 {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  bucket: string;
  client: S3Client;
}

/** Throws with the reason (and the fix) when the run has no S3 server: the S3 tests must not pass by skipping. */
export function s3Server(): Omit<TestS3, 'bucket' | 'client'> {
  const endpoint = process.env.S3_TEST_ENDPOINT;
  if (!endpoint) throw new Error(`no S3-compatible test server: ${process.env.S3_TEST_UNAVAILABLE ?? 'S3_TEST_ENDPOINT is not set'}`);
  return { endpoint, accessKeyId: process.env.S3_TEST_ACCESS_KEY ?? '', secretAccessKey: process.env.S3_TEST_SECRET_KEY ?? '', region: 'us-east-1' };
}

export async function freshBucket(label: string): Promise<TestS3> {
  const s = s3Server();
  const client = createS3Client({
    region: s.region, endpoint: s.endpoint, forcePathStyle: true,
    credentials: async () => ({ accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey }),
  });
  const bucket = `${label}-${crypto.randomBytes(4).toString('hex')}`.toLowerCase();
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return { ...s, bucket, client };
}
