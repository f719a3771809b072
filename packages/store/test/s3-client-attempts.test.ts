import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3BlobStore, S3StoreError, createS3Client } from '@entra-ingest/store';

// Retries live in one layer (Temporal's). An S3 server answering 503 must see ONE request per store call by default;
// the control with maxAttempts 3 proves the count would show the SDK's own retries if they happened.
describe('S3 client attempts', () => {
  let server: http.Server;
  let requests = 0;
  let endpoint = '';

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => {
        res.writeHead(503, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function requestsForOneGet(maxAttempts?: number): Promise<{ requests: number; err: unknown }> {
    const client = createS3Client({
      region: 'us-east-1', endpoint, forcePathStyle: true, ...(maxAttempts ? { maxAttempts } : {}),
      credentials: async () => ({ accessKeyId: 'test', secretAccessKey: 'test' }),
    });
    try {
      requests = 0;
      const err = await new S3BlobStore({ client, bucket: 'b', prefix: 'p' }).get('some/key').catch((e: unknown) => e);
      return { requests, err };
    } finally {
      client.destroy();
    }
  }

  test('by default a throttled request fails at once, for the activity to retry', async () => {
    const { requests: n, err } = await requestsForOneGet();
    expect(err).toBeInstanceOf(S3StoreError);
    expect((err as S3StoreError).status).toBe(503);
    expect(n).toBe(1);
  });

  test('control: with maxAttempts 3 the SDK retries on its own and the server sees it', async () => {
    const { requests: n } = await requestsForOneGet(3);
    expect(n).toBe(3);
  }, 20_000);
});
