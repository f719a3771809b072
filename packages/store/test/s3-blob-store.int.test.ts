// The S3 blob store against a real S3-compatible server (versitygw, started by the integration run's global setup).
import { S3Client } from '@aws-sdk/client-s3';
import { freshBucket, type TestS3 } from '../../../tests/support/s3';
import { BlobNotFoundError, S3BlobStore, S3StoreError, UnsafeKeyError } from '../src';

let s3: TestS3;
let store: S3BlobStore;

beforeAll(async () => {
  s3 = await freshBucket('store');
  store = new S3BlobStore({ client: s3.client, bucket: s3.bucket, prefix: 'ingest/test' });
});
afterAll(() => s3?.client.destroy());

test('put, get, exists and a missing key', async () => {
  await store.put('windows/a/one.json', '{"n":1}');
  expect((await store.get('windows/a/one.json')).toString()).toBe('{"n":1}');
  expect(await store.exists('windows/a/one.json')).toBe(true);
  expect(await store.exists('windows/a/two.json')).toBe(false);
  await expect(store.get('windows/a/two.json')).rejects.toBeInstanceOf(BlobNotFoundError);
  await store.put('windows/a/one.json', Buffer.from('replaced'));
  expect((await store.get('windows/a/one.json')).toString()).toBe('replaced');
});

test('lists by folder across pages (more than 1000 keys), sorted, without the store prefix', async () => {
  const keys = Array.from({ length: 1203 }, (_, i) => `many/${String(1202 - i).padStart(5, '0')}`);
  for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => store.put(k, 'x')));
  await store.put('many-other/00000', 'not under many/');
  const listed = await store.list('many');
  expect(listed).toHaveLength(1203);
  expect(listed).toEqual([...keys].sort());
  expect(await store.list('many/')).toEqual(listed);
  expect(await store.deletePrefix('many')).toBe(1203);
  expect(await store.list('many')).toEqual([]);
  expect(await store.exists('many-other/00000')).toBe(true);
  await expect(store.deletePrefix('')).rejects.toThrow(/non-empty prefix/);
  // One blob, not those whose keys start with its key; a missing one is no error.
  await store.put('many-other/000001', 'x');
  await store.delete('many-other/00000');
  expect(await store.list('many-other')).toEqual(['many-other/000001']);
  await store.delete('many-other/00000');
});

test('conditional writes: create-if-absent and compare-and-set on the ETag', async () => {
  const v1 = await store.putIfVersion('index/k', 'one', null);
  expect(v1).toEqual(expect.any(String));
  expect(await store.putIfVersion('index/k', 'other', null)).toBeUndefined(); // exists already
  const v2 = await store.putIfVersion('index/k', 'two', v1!);
  expect(v2).toEqual(expect.any(String));
  expect(await store.putIfVersion('index/k', 'stale', v1!)).toBeUndefined(); // lost race: v1 is gone
  expect(await store.getVersioned('index/k')).toEqual({ data: Buffer.from('two'), version: v2 });
  expect(await store.getVersioned('index/none')).toBeUndefined();
  expect(await store.putIfVersion('index/none', 'x', v2!)).toBeUndefined(); // If-Match on a missing key
});

test('of many writers racing to create one key, exactly one wins; of many racing on one version, exactly one wins', async () => {
  const created = await Promise.all(Array.from({ length: 8 }, (_, i) => store.putIfVersion('race/k', `writer ${i}`, null)));
  expect(created.filter(Boolean)).toHaveLength(1);
  const current = await store.getVersioned('race/k');
  const winner = created.findIndex(Boolean);
  expect(current!.data.toString()).toBe(`writer ${winner}`);
  const updated = await Promise.all(Array.from({ length: 8 }, (_, i) => store.putIfVersion('race/k', `update ${i}`, current!.version)));
  expect(updated.filter(Boolean)).toHaveLength(1);
});

test('keys outside the safe alphabet are refused before any request', async () => {
  await expect(store.put('../escape', 'x')).rejects.toBeInstanceOf(UnsafeKeyError);
  await expect(store.get('a//b')).rejects.toBeInstanceOf(UnsafeKeyError);
});

test('a failing server is a typed error naming the bucket and key', async () => {
  const wrong = new S3BlobStore({ client: s3.client, bucket: 'no-such-bucket-here', prefix: 'p' });
  const err = await wrong.put('a/b', 'x').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(S3StoreError);
  expect((err as Error).message).toContain('s3://no-such-bucket-here/p/a/b');
  const badKeys = new S3Client({
    region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId: 'nobody', secretAccessKey: 'wrong' },
  });
  const denied = await new S3BlobStore({ client: badKeys, bucket: s3.bucket }).put('a', 'x').catch((e: unknown) => e);
  expect(denied).toBeInstanceOf(S3StoreError);
  expect((denied as Error).message).toMatch(/InvalidAccessKeyId|AccessDenied|SignatureDoesNotMatch|XAdminUserNotFound/);
  // A GET refused for bad keys is an error, never "not found".
  await new S3BlobStore({ client: s3.client, bucket: s3.bucket }).put('a', 'x');
  const refused = await new S3BlobStore({ client: badKeys, bucket: s3.bucket }).get('a').catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(S3StoreError);
  badKeys.destroy();
});
