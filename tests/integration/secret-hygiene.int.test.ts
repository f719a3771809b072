import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import https from 'node:https';
import {
  SA, ingestWindow, usersSync, windowWorkflowId, windowsBetween, type IngestWindowInput, type WindowedSourceName,
} from '@entra-ingest/workflows';
import { NativeConnection, Worker } from '@temporalio/worker';
import { generateServerTls } from '../../packages/graph-simulator/src/tls';
import { CLIENT, TENANT, feedConfig, startEnv, waitFor, writeConfig, type TestEnv } from '../support/harness';
import { JWT, scanHistories } from '../support/history-leaks';

// Secret hygiene after real runs: one with a client secret (expired and rotated on the way, so auth errors are logged
// too), one with a certificate. Every workflow history, every log line of the worker process (at debug level) and
// every file under the data folder is searched for the secrets, the private key and any bearer token. Histories are
// searched payload by payload, decoded (tests/support/history-leaks.ts); the first test proves that search finds a
// planted secret and JWT in each place a history can hold one.

const CLI = path.resolve(__dirname, '../../packages/cli/bin/entra-ingest.js');
const MIN = 60_000;
const DAY = 86_400_000;
const PACING = { blockedRetryMs: 1500, transientRetryMs: 1000 };

interface WorkerChild {
  child: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

/** The built CLI's worker at debug level, so every log line it can write is written (and searched). */
function spawnDebugWorker(env: TestEnv, configFile: string): WorkerChild {
  const logFile = path.join(env.dir, 'worker.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [CLI, 'worker', '--config', configFile], {
    env: { ...process.env, TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS, ENTRA_INGEST_TASK_QUEUE: env.taskQueue, ENTRA_INGEST_LOG_LEVEL: 'debug' },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  return {
    child, logFile,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(hard);
        resolve();
      });
      child.kill('SIGTERM');
    }),
  };
}

async function workerReady(w: WorkerChild): Promise<void> {
  await waitFor('the worker to poll', () => {
    if (w.child.exitCode !== null) throw new Error(`worker exited: ${fs.readFileSync(w.logFile, 'utf8').slice(-2000)}`);
    return fs.existsSync(w.logFile) && fs.readFileSync(w.logFile, 'utf8').includes('worker ready') ? true : undefined;
  }, 90_000, 200);
}

/** A token from the simulator's token endpoint, as the worker gets them: proves the JWT check is not vacuous. */
async function simulatorToken(env: TestEnv, secret: string): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT, client_secret: secret, scope: `${env.simulator.url}/.default` }).toString();
  return new Promise((resolve, reject) => {
    const req = https.request(`${env.simulator.url}/${TENANT}/oauth2/v2.0/token`, {
      method: 'POST', ca: fs.readFileSync(path.join(env.dir, 'ca.pem'), 'utf8'), headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve((JSON.parse(text) as { access_token: string }).access_token));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Runs windows of both windowed sources and a users round; returns when all completed. */
async function ingest(env: TestEnv, feed: string, onRunning?: () => Promise<void>): Promise<void> {
  const now = Date.now();
  const windows = windowsBetween(now - 3 * 60 * MIN, now - 60 * MIN, 60 * MIN);
  const handles = [];
  for (const source of ['directoryAudits', 'signIns'] as WindowedSourceName[]) {
    for (const w of windows) {
      const input: IngestWindowInput = { feed, source, windowStart: w.start, windowEnd: w.end, sweepDelaysMs: [], pacing: PACING };
      handles.push(await env.client.workflow.start(ingestWindow, {
        taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/${windowWorkflowId(feed, source, w.start, w.end)}`, args: [input],
        typedSearchAttributes: [{ key: SA.kind, value: 'window' }, { key: SA.feed, value: feed }],
      }));
    }
  }
  handles.push(await env.client.workflow.start(usersSync, { taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/users/${feed}`, args: [{ feed, pacing: PACING }] }));
  await onRunning?.();
  await Promise.all(handles.map((h) => h.result()));
}

interface Leak {
  where: string;
  what: string;
}

/** Every history of the task queue (payloads decoded), every line of the worker log, every file under data. */
async function findLeaks(env: TestEnv, logFile: string, needles: Record<string, string>): Promise<{ leaks: Leak[]; histories: number; payloadKinds: Record<string, number>; logLines: number; files: number }> {
  const scan = await scanHistories(env.client, `TaskQueue = "${env.taskQueue}"`, needles);
  const leaks: Leak[] = [...scan.leaks];
  const check = (where: string, text: string): void => {
    for (const [what, needle] of Object.entries(needles)) if (text.includes(needle)) leaks.push({ where, what });
    if (JWT.test(text)) leaks.push({ where, what: `a JWT: ${JWT.exec(text)![0].slice(0, 16)}…` });
  };
  const lines = fs.readFileSync(logFile, 'utf8').split('\n');
  lines.forEach((line, i) => check(`worker log line ${i + 1}`, line));
  const files = walk(path.join(env.dir, 'data'));
  for (const f of files) check(path.relative(env.dir, f), fs.readFileSync(f).toString('latin1'));
  return { leaks, histories: scan.histories, payloadKinds: scan.payloadKinds, logLines: lines.length, files: files.length };
}

let env: TestEnv | undefined;
let worker: WorkerChild | undefined;

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await env?.cleanup();
  env = undefined;
});

test('control: the history scan finds a planted secret and JWT in inputs, results, memos, search attributes and failures', async () => {
  env = await startEnv('hygiene-control');
  const e = env;
  const planted = { secret: `planted-${crypto.randomBytes(8).toString('hex')}`, jwt: await simulatorToken(e, e.secret) };
  expect(planted.jwt).toMatch(JWT);
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! });
  try {
    const w = await Worker.create({ connection, taskQueue: e.taskQueue, workflowsPath: require.resolve('../fixtures/hygiene-control-workflows'), activities: {} });
    await w.runUntil(async () => {
      await e.client.workflow.execute('plantedEcho', {
        taskQueue: e.taskQueue, workflowId: `${e.taskQueue}/echo`, args: [planted], memo: { note: planted.secret },
        typedSearchAttributes: [{ key: SA.feed, value: planted.jwt }],
      });
      await expect(e.client.workflow.execute('plantedFailure', { taskQueue: e.taskQueue, workflowId: `${e.taskQueue}/fail`, args: [{ secret: planted.secret }] })).rejects.toThrow();
    });
  } finally {
    await connection.close();
  }
  const scan = await scanHistories(e.client, `TaskQueue = "${e.taskQueue}"`, { 'the planted secret': planted.secret });
  const found = (workflow: string, field: RegExp, what: RegExp): boolean =>
    scan.leaks.some((l) => l.where.includes(workflow) && field.test(l.where) && what.test(l.what));
  expect(scan.histories).toBe(2);
  expect(found('/echo', /StartedEventAttributes\.input\./, /planted secret/)).toBe(true);
  expect(found('/echo', /StartedEventAttributes\.input\./, /JWT/)).toBe(true);
  expect(found('/echo', /StartedEventAttributes\.memo\./, /planted secret/)).toBe(true);
  expect(found('/echo', /StartedEventAttributes\.searchAttributes\./, /JWT/)).toBe(true);
  expect(found('/echo', /CompletedEventAttributes\.result\./, /planted secret/)).toBe(true);
  expect(found('/echo', /upsertedMemo/, /JWT/)).toBe(true);
  expect(found('/fail', /FailedEventAttributes\.failure\.message/, /planted secret/)).toBe(true);
  expect(found('/fail', /FailedEventAttributes\.failure\..*details/, /planted secret/)).toBe(true);
  // The old search (the history as JSON) finds none of the payload ones: why the scan decodes.
  const history = await e.client.workflow.getHandle(`${e.taskQueue}/echo`).fetchHistory();
  expect(JSON.stringify(history).includes(planted.secret)).toBe(false);
});

test('client secret: after a full run with an expiry and a rotation, no history, log line or file holds a secret or a token', async () => {
  env = await startEnv('hygiene-secret', { eventsPerMinute: 4, historyDays: 1, faults: { revokeTokenMidPagination: 0.2, http5xx: 0.05 }, tokenLifetimeSeconds: 305 });
  const e = env;
  const feed = `hs${crypto.randomBytes(3).toString('hex')}`;
  const loaded = writeConfig(e, feedConfig(e, {
    id: feed, sources: { directoryAudits: { enabled: true }, signIns: { enabled: true }, users: { enabled: true } },
    window: '1h', rateLimit: { requests: 50, per: '10s' },
  }));
  worker = spawnDebugWorker(e, loaded.source);
  await workerReady(worker);
  const rotated = `rotated-${crypto.randomBytes(16).toString('hex')}`;
  const token = await simulatorToken(e, e.secret);
  expect(token).toMatch(JWT);
  // Expire the secret while windows run: sign-ins fail (and are logged), windows block, then the rotation heals them.
  e.simulator.expireSecret(TENANT, CLIENT);
  await ingest(e, feed, async () => {
    await waitFor('a failed sign-in in the log', () => (fs.readFileSync(worker!.logFile, 'utf8').includes('AADSTS7000222') ? true : undefined), 60_000, 250);
    e.simulator.rotateSecret(TENANT, CLIENT, rotated, new Date(Date.now() + 90 * DAY).toISOString());
    fs.writeFileSync(e.secretFile, rotated);
  });
  expect(e.simulator.stats().tokensIssued).toBeGreaterThan(1); // ours above, and the worker's
  const found = await findLeaks(e, worker.logFile, { 'the first secret': e.secret, 'the rotated secret': rotated, 'a simulator token': token });
  expect(found.leaks).toEqual([]);
  expect(found.histories).toBeGreaterThanOrEqual(5);
  // The scan really read payloads of each kind the ingestion writes.
  expect(found.payloadKinds).toEqual(expect.objectContaining({ input: expect.any(Number), result: expect.any(Number), searchAttributes: expect.any(Number) }));
  expect(found.logLines).toBeGreaterThan(20);
  expect(found.files).toBeGreaterThan(5);
});

test('certificate: after a full run, no history, log line or file holds the private key or a token (nor a client assertion)', async () => {
  const cert = await generateServerTls('127.0.0.1');
  // Enough events that windows span several pages: the mid-pagination revocation then forces a second token. The
  // tenant allows what the feed is paced for (50 requests per 10 s): with Graph's default of 5 the worker's 50 met
  // 429s with Retry-After of 4-8 s, and the test spent a minute or more waiting (and timed out on a loaded machine).
  const throttle = { enabled: true, perTenantPer10s: 50 };
  env = await startEnv('hygiene-cert', { eventsPerMinute: 40, historyDays: 1, faults: { revokeTokenMidPagination: 0.5 }, tokenLifetimeSeconds: 305, throttle });
  const e = env;
  // The same app, now with a certificate as its credential (the simulator verifies the signed client assertion).
  const sim = e.simulator as unknown as { close(): Promise<void> };
  await sim.close();
  const { startSimulator } = await import('@entra-ingest/graph-simulator');
  e.simulator = await startSimulator({
    caOut: path.join(e.dir, 'ca.pem'), seed: 7, eventsPerMinute: 40, historyDays: 1, faults: { revokeTokenMidPagination: 0.5 }, tokenLifetimeSeconds: 305, throttle,
    tenants: [{ tenantId: TENANT, premium: true, users: 20, groups: 4, clients: [{ clientId: CLIENT, certificatePem: cert.certPem, permissions: ['AuditLog.Read.All', 'Directory.Read.All', 'User.Read.All', 'Application.Read.All'] }] }],
  });
  fs.writeFileSync(path.join(e.dir, 'app-cert.pem'), cert.certPem);
  fs.writeFileSync(path.join(e.dir, 'app-key.pem'), cert.keyPem, { mode: 0o600 });
  const feed = `hc${crypto.randomBytes(3).toString('hex')}`;
  const loaded = writeConfig(e, feedConfig(e, {
    id: feed, credential: { certificate: { file: 'app-cert.pem' }, privateKey: { file: 'app-key.pem' } },
    sources: { directoryAudits: { enabled: true }, signIns: { enabled: true }, users: { enabled: true } },
    window: '1h', rateLimit: { requests: 50, per: '10s' },
  }));
  worker = spawnDebugWorker(e, loaded.source);
  await workerReady(worker);
  await ingest(e, feed);
  expect(e.simulator.stats().tokensIssued).toBeGreaterThan(1);
  // The key's base64 body, line by line: any one line of it showing up anywhere is a leak.
  const keyLines = cert.keyPem.split('\n').filter((l) => l && !l.startsWith('-----'));
  const needles: Record<string, string> = Object.fromEntries(keyLines.map((l, i) => [`private key line ${i + 1}`, l]));
  const found = await findLeaks(e, worker.logFile, needles);
  expect(found.leaks).toEqual([]);
  expect(found.histories).toBeGreaterThanOrEqual(5);
  expect(found.files).toBeGreaterThan(5);
});
