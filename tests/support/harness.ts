// Shared set-up for integration tests: the real simulator over HTTPS, a feeds config in a temp dir, a worker on a
// task queue of its own against the real dev server, and readers for what the sinks received.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { stringify } from 'yaml';
import { type AppConfigInput, type LoadedConfig, parseConfigText, silentLogger } from '@entra-ingest/config';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '@entra-ingest/graph-simulator';
import { createIngestWorker, type IngestWorker } from '@entra-ingest/worker';

export const TENANT = '0d3c4a1e-5f6b-4c7d-8e9f-a0b1c2d3e4f5';
export const CLIENT = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';

export interface TestEnv {
  dir: string;
  secret: string;
  secretFile: string;
  simulator: RunningSimulator;
  taskQueue: string;
  client: Client;
  connection: Connection;
  cleanup(): Promise<void>;
}

export function tempDir(prefix: string): string {
  const root = path.resolve(__dirname, '../../.test-tmp');
  fs.mkdirSync(root, { recursive: true });
  return fs.mkdtempSync(path.join(root, `${prefix}-`));
}

export async function startEnv(name: string, sim: Partial<SimulatorOptions> = {}): Promise<TestEnv> {
  const dir = tempDir(name);
  const secret = `s3cr3t-${crypto.randomBytes(12).toString('hex')}`;
  const secretFile = path.join(dir, 'client-secret');
  fs.writeFileSync(secretFile, secret);
  const simulator = await startSimulator({
    caOut: path.join(dir, 'ca.pem'),
    seed: 7,
    tenants: [{
      tenantId: TENANT, premium: true, users: 40, groups: 8,
      clients: [{ clientId: CLIENT, secret: { value: secret, expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString() }, permissions: ['AuditLog.Read.All', 'Directory.Read.All', 'User.Read.All', 'Application.Read.All'] }],
    }],
    ...sim,
  });
  const connection = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! });
  const client = new Client({ connection });
  return {
    dir, secret, secretFile, simulator, connection, client,
    taskQueue: `${name}-${crypto.randomUUID()}`,
    async cleanup() {
      await connection.close();
      await simulator.close();
    },
  };
}

export type FeedOverrides = Record<string, unknown>;

export function feedConfig(env: TestEnv, feed: FeedOverrides = {}, top: Record<string, unknown> = {}): AppConfigInput {
  return {
    dataDir: 'data',
    validateEvents: true,
    feeds: [{
      id: 'test',
      tenantId: TENANT,
      clientId: CLIENT,
      credential: { clientSecret: { file: 'client-secret' } },
      cloud: 'custom',
      loginUrl: env.simulator.url,
      graphUrl: env.simulator.url,
      caFile: 'ca.pem',
      sources: { directoryAudits: { enabled: true } },
      window: '30m',
      sweeps: [],
      rateLimit: { requests: 5, per: '10s' },
      sinks: [{ type: 'file', id: 'file', root: 'ocsf' }],
      ...feed,
    } as never],
    ...top,
  };
}

export function writeConfig(env: TestEnv, cfg: AppConfigInput, name = 'feeds.yaml'): LoadedConfig {
  const file = path.join(env.dir, name);
  const text = stringify(cfg);
  fs.writeFileSync(file, text);
  return { config: parseConfigText(text, file), baseDir: env.dir, source: file };
}

export async function startWorker(env: TestEnv, loaded: LoadedConfig): Promise<{ worker: IngestWorker; running: Promise<void>; stop(): Promise<void> }> {
  const worker = await createIngestWorker({ loaded, address: process.env.TEMPORAL_TEST_ADDRESS!, taskQueue: env.taskQueue, logger: silentLogger, shutdownGraceTime: '2s' });
  const running = worker.run();
  return {
    worker, running,
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}

/** Every file-sink event under root: [file source, record id] per event. */
export function fileSinkEvents(root: string): { source: string; id: string; classUid: number; file: string }[] {
  const out: { source: string; id: string; classUid: number; file: string }[] = [];
  if (!fs.existsSync(root)) return out;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ndjson')) {
        const source = entry.name.split('-')[1]!;
        for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
          if (!line) continue;
          const e = JSON.parse(line) as { metadata: { uid: string }; class_uid: number };
          out.push({ source, id: e.metadata.uid, classUid: e.class_uid, file: p });
        }
      }
    }
  };
  walk(root);
  return out;
}

export function exactlyOnce(delivered: string[], expected: string[]): { lost: string[]; duplicated: string[]; unexpected: string[] } {
  const counts = new Map<string, number>();
  for (const id of delivered) counts.set(id, (counts.get(id) ?? 0) + 1);
  const exp = new Set(expected);
  return {
    lost: expected.filter((id) => !counts.has(id)),
    duplicated: [...counts].filter(([, n]) => n > 1).map(([id]) => id),
    unexpected: [...counts.keys()].filter((id) => !exp.has(id)),
  };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 120_000, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

