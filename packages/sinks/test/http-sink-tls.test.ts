import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpSinkSchema } from '@entra-ingest/config';
import { HttpSink } from '@entra-ingest/sinks';
import { makeBatch } from './helpers/events';
import { Receiver } from './helpers/receiver';

// A throwaway self-signed certificate needs the openssl CLI; without it this file has nothing to test.
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const describeTls = hasOpenssl ? describe : describe.skip;

describeTls('http sink over TLS with a custom CA (caFile)', () => {
  let dir: string;
  let receiver: Receiver;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-sink-tls-'));
    const made = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'ca.pem'),
    ]);
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
    receiver = await new Receiver(() => ({ status: 200 }), {
      key: fs.readFileSync(path.join(dir, 'key.pem')),
      cert: fs.readFileSync(path.join(dir, 'ca.pem')),
    }).start();
  });

  afterAll(async () => {
    await receiver?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const sink = (extra: Record<string, unknown>): HttpSink =>
    new HttpSink(HttpSinkSchema.parse({ type: 'http', url: receiver.url, ...extra }), { dataDir: dir, baseDir: dir, resolveSecret: () => '' });

  it('trusts the configured CA (a relative caFile resolves against baseDir)', async () => {
    const s = sink({ caFile: 'ca.pem' });
    try {
      await expect(s.deliver(makeBatch())).resolves.toMatchObject({ delivered: 5 });
      expect(receiver.requests).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('refuses the unknown certificate without it', async () => {
    const s = sink({});
    try {
      await expect(s.deliver(makeBatch())).rejects.toThrow(/connection error/);
    } finally {
      await s.close();
    }
  });

  it('says which caFile it cannot read', () => {
    expect(() => sink({ caFile: 'missing.pem' })).toThrow(/cannot read caFile .*missing\.pem: ENOENT/);
  });
});
