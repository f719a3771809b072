// The s3 and securityLake sinks against a real S3-compatible server (versitygw, from the integration global setup).
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { parseConfig, type S3SinkConfig, type SecurityLakeSinkConfig } from '@entra-ingest/config';
import { freshBucket, type TestS3 } from '../../../tests/support/s3';
import { S3Sink, SecurityLakeSink, SinkError, type EventBatch } from '../src';

let s3: TestS3;
beforeAll(async () => {
  s3 = await freshBucket('sinks');
});
afterAll(() => s3?.client.destroy());

const deps = { dataDir: '.', resolveSecret: () => '' };

function sinkConfig<T>(sink: Record<string, unknown>): T {
  const feed = { id: 'f', tenantId: 't', clientId: 'c', credential: { clientSecret: { env: 'X' } }, sinks: [sink] };
  return parseConfig({ feeds: [feed] }).feeds[0]!.sinks[0] as T;
}

const event = (uid: string, extra: Record<string, unknown> = {}) => JSON.stringify({
  class_uid: 3002, class_name: 'Authentication', category_uid: 3, activity_id: 1, type_uid: 300201, severity_id: 1, time: 1793620800000,
  metadata: { uid, version: '1.8.0', product: { name: 'Entra ID', vendor_name: 'Microsoft' } }, user: { uid: 'u1', name: 'ada' }, ...extra,
});

const batch: EventBatch = {
  feed: 'contoso', source: 'signIns', windowStart: '2026-11-02T10:00:00Z', pass: 0, classUid: 3002, className: 'authentication',
  events: [event('a'), event('b', { observables: [{ name: 'user.uid', type_id: 4, value: 'u1' }] })],
};

async function keys(prefix: string): Promise<string[]> {
  const out = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

async function body(key: string): Promise<Buffer> {
  const out = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

test('s3 sink: gzip NDJSON under the file sink\'s names; delivering again overwrites the same object', async () => {
  const sink = new S3Sink(sinkConfig<S3SinkConfig>({ type: 's3', bucket: s3.bucket, prefix: 'out/ocsf' }), deps, s3.client);
  const result = await sink.deliver(batch);
  expect(result).toMatchObject({ sinkId: 's3', delivered: 2 });
  expect(result.location).toMatch(new RegExp(`^s3://${s3.bucket}/out/ocsf/authentication/2026/11/02/contoso-signIns-20261102T100000Z-[0-9a-f]{32}\\.ndjson\\.gz$`));
  await sink.deliver(batch);
  expect(await keys('out/')).toEqual([result.location.slice(`s3://${s3.bucket}/`.length)]);
  const lines = gunzipSync(await body((await keys('out/'))[0]!)).toString().trim().split('\n');
  expect(lines.map((l) => (JSON.parse(l) as { metadata: { uid: string } }).metadata.uid)).toEqual(['a', 'b']);
});

test('security lake sink: one Parquet object per batch in the custom-source layout, overwritten on redelivery', async () => {
  const config = sinkConfig<SecurityLakeSinkConfig>({ type: 'securityLake', bucket: s3.bucket, accountId: '123456789012', region: 'eu-west-1', sources: { authentication: 'ext/entra-signins/1.0' } });
  const sink = new SecurityLakeSink(config, deps, s3.client);
  const { location } = await sink.deliver(batch);
  expect(location).toMatch(new RegExp(`^s3://${s3.bucket}/ext/entra-signins/1\\.0/region=eu-west-1/accountId=123456789012/eventDay=20261102/contoso-signIns-20261102T100000Z-[0-9a-f]{32}\\.parquet$`));
  const key = location.slice(`s3://${s3.bucket}/`.length);
  const first = await body(key);
  await sink.deliver(batch);
  expect(await keys('ext/')).toEqual([key]);
  expect((await body(key)).equals(first)).toBe(true); // deterministic bytes
  expect(first.subarray(0, 4).toString()).toBe('PAR1');
  // A class without a configured location goes to ext/<prefix>-<class>.
  const other = await sink.deliver({ ...batch, classUid: 3001, className: 'account_change', events: [event('c', { class_uid: 3001 })] });
  expect(other.location).toContain('/ext/entra-account-change/region=eu-west-1/');
  // An attribute the class's schema does not have cannot become a column: not retryable.
  const bad = await sink.deliver({ ...batch, events: [event('d', { not_ocsf: 1 })] }).catch((e: unknown) => e);
  expect(bad).toBeInstanceOf(SinkError);
  expect((bad as SinkError).retryable).toBe(false);
  expect((bad as Error).message).toContain('not_ocsf');
});
