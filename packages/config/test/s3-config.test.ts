import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig, resolveS3Settings } from '../src';
import { minimalFeed as feed, problems } from './config-fixtures';

describe('store config', () => {
  test('the file store is the default', () => {
    expect(parseConfig({ feeds: [feed] }).store).toEqual({ type: 'file' });
  });

  test('an s3 store gets its defaults; credentials are references', () => {
    const cfg = parseConfig({
      feeds: [feed],
      store: { type: 's3', bucket: 'entra-claims', endpoint: 'http://127.0.0.1:7070', forcePathStyle: true,
        credentials: { accessKeyId: { env: 'S3_KEY' }, secretAccessKey: { file: 's3-secret' } } },
    });
    expect(cfg.store).toEqual({
      type: 's3', bucket: 'entra-claims', endpoint: 'http://127.0.0.1:7070', forcePathStyle: true, region: 'us-east-1',
      prefix: 'entra-ingest', maxAttempts: 1, insecureHttp: false,
      credentials: { accessKeyId: { env: 'S3_KEY' }, secretAccessKey: { file: 's3-secret' } },
    });
  });

  test('inline keys, bad bucket names and plain http to the network are refused with where', () => {
    expect(problems({ feeds: [feed], store: { type: 's3', bucket: 'b-ok', credentials: { accessKeyId: 'AKIA…', secretAccessKey: { env: 'X' } } } }).join('\n'))
      .toMatch(/store\.credentials\.accessKeyId/);
    expect(problems({ feeds: [feed], store: { type: 's3', bucket: 'Bad_Bucket' } }).join('\n')).toMatch(/store\.bucket.*S3 bucket name/);
    expect(problems({ feeds: [feed], store: { type: 's3', bucket: 'b-ok', endpoint: 'http://s3.internal:7070' } }).join('\n')).toMatch(/store\.endpoint.*https/);
    expect(parseConfig({ feeds: [feed], store: { type: 's3', bucket: 'b-ok', endpoint: 'http://s3:7070', insecureHttp: true } }).store.type).toBe('s3');
    expect(problems({ feeds: [feed], store: { type: 'gcs' } }).join('\n')).toMatch(/store/);
  });

  test('s3 sinks check the same connection rules', () => {
    expect(problems({ feeds: [{ ...feed, sinks: [{ type: 's3', bucket: 'b-ok', endpoint: 'http://10.0.0.9' }] }] }).join('\n')).toMatch(/sinks\[0\]\.endpoint: must be https/);
    const cfg = parseConfig({ feeds: [{ ...feed, sinks: [{ type: 's3', bucket: 'ocsf-out' }] }] });
    expect(cfg.feeds[0]!.sinks[0]).toMatchObject({ type: 's3', id: 's3', prefix: 'ocsf', gzip: true });
  });

  test('credentials are read from their references on every refresh, so a rotated key is picked up', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3cfg-'));
    fs.writeFileSync(path.join(dir, 'secret'), 'first\n');
    process.env.S3_TEST_KEY_ID = 'AKIDTEST';
    const cfg = parseConfig({ feeds: [feed], store: { type: 's3', bucket: 'b-ok', credentials: { accessKeyId: { env: 'S3_TEST_KEY_ID' }, secretAccessKey: { file: 'secret' } } } });
    if (cfg.store.type !== 's3') throw new Error('expected s3');
    const settings = resolveS3Settings(cfg.store, dir);
    expect(await settings.credentials!()).toMatchObject({ accessKeyId: 'AKIDTEST', secretAccessKey: 'first' });
    fs.writeFileSync(path.join(dir, 'secret'), 'second\n');
    expect(await settings.credentials!()).toMatchObject({ secretAccessKey: 'second' });
    delete process.env.S3_TEST_KEY_ID;
    await expect(settings.credentials!()).rejects.toThrow(/S3_TEST_KEY_ID is not set/);
    const chain = parseConfig({ feeds: [feed], store: { type: 's3', bucket: 'b-ok' } }).store;
    if (chain.type !== 's3') throw new Error('expected s3');
    expect(resolveS3Settings(chain, dir).credentials).toBeUndefined(); // the SDK's default chain
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
