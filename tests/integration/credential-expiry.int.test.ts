import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { findFeed } from '@entra-ingest/config';
import { type CredentialExpiryStatus, SA, credentialExpiryWorkflowId, credentialStatusQuery } from '@entra-ingest/workflows';
import { ensureCredentialWatch } from '../../packages/cli/src/schedules';
import { CLIENT, TENANT, feedConfig, startEnv, startWorker, waitFor, writeConfig, type TestEnv } from '../support/harness';
import { runCliProcess as runCli, type CliRun } from '../support/cli-process';

// Credential-expiry reminders on the real dev server: the worker reads the app's secrets from the simulator's
// applications endpoint and posts reminders to a webhook receiver on loopback.

const DAY = 86_400_000;

interface Received {
  at: number;
  body: { type: string; feed: string; daysLeft: number; credential: { keyId: string; endDateTime: string }; text: string };
}

interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ at: Date.now(), body: JSON.parse(body) as Received['body'] });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/expiry`,
    received,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

const runCliProcess = (env: TestEnv, args: string[]): Promise<CliRun> => runCli(args, { ENTRA_INGEST_TASK_QUEUE: env.taskQueue });

let env: TestEnv;
let receiver: Receiver;
let watchIds: string[] = [];

afterEach(async () => {
  // The watch runs forever; end it so it does not linger on the shared dev server.
  for (const id of watchIds.splice(0)) await env.client.workflow.getHandle(id).terminate('test over').catch(() => undefined);
  await receiver?.close();
  await env?.cleanup();
});

const newFeedId = (): string => `ce${crypto.randomBytes(4).toString('hex')}`;

function configWithWebhook(env: TestEnv, feed: string, reminderDays?: number[]) {
  // The webhook URL is a credential: the config names the variable, the worker (in this process) reads it.
  process.env.CE_TEST_WEBHOOK_URL = receiver.url;
  return writeConfig(env, feedConfig(env, {
    id: feed,
    credentialExpiry: { ...(reminderDays ? { reminderDays } : {}), notifiers: [{ type: 'webhook', url: { secret: { env: 'CE_TEST_WEBHOOK_URL' } }, format: 'json' }] },
  }));
}

test('a secret expiring in 10 days is reminded once; after rotation the new key shows and reminders stop', async () => {
  env = await startEnv('cred-expiry', { historyDays: 1, eventsPerMinute: 1 });
  receiver = await startReceiver();
  // The harness' secret, now expiring in 10 days (the simulator gives it a new key id).
  env.simulator.rotateSecret(TENANT, CLIENT, env.secret, new Date(Date.now() + 10 * DAY).toISOString());
  const feed = newFeedId();
  const loaded = configWithWebhook(env, feed);
  const worker = await startWorker(env, loaded);
  watchIds.push(credentialExpiryWorkflowId(feed));
  try {
    // The CLI starts the watch and prints what it read.
    const shown = await runCliProcess(env, ['credentials', '--config', loaded.source, '--feed', feed, '--json']);
    expect(shown.stderr).not.toMatch(/entra-ingest: error/);
    expect(shown.code).toBe(0);
    const status = JSON.parse(shown.stdout) as CredentialExpiryStatus & { workflowId: string };
    expect(status.workflowId).toBe(credentialExpiryWorkflowId(feed));
    expect(status.source).toBe('graph');
    expect(status.credentials).toHaveLength(1);
    const oldKey = status.credentials[0]!.keyId;
    expect(status.credentials[0]!.daysLeft).toBe(9); // 10 days minus the seconds since: 9 whole days

    // 14 days before expiry is already past: one reminder, for that point, now.
    const first = await waitFor('the first reminder', () => receiver.received[0], 30_000, 200);
    expect(first.body).toMatchObject({ type: 'entra-ingest.credential-expiry', feed, credential: { keyId: oldKey } });
    expect([9, 10]).toContain(first.body.daysLeft);
    expect(first.body.text).toMatch(/expires in \d+ day/);
    expect(first.body.text).not.toContain(env.secret);

    // Rotate: the new value goes where the feed reads its secret, the app gets a new key valid for 400 days.
    const newSecret = `rotated-${crypto.randomBytes(12).toString('hex')}`;
    fs.writeFileSync(env.secretFile, newSecret);
    env.simulator.rotateSecret(TENANT, CLIENT, newSecret, new Date(Date.now() + 400 * DAY).toISOString());
    const rotated = await runCliProcess(env, ['credentials', '--config', loaded.source, '--feed', feed, '--rotated']);
    expect(rotated.code).toBe(0);
    const row = rotated.stdout.split('\n').find((l) => /client secret/.test(l));
    expect(row).toBeDefined();
    expect(row).not.toContain(oldKey);
    expect(Number(row!.trim().split(/\s+/).pop())).toBeGreaterThan(300);

    const after = await env.client.workflow.getHandle(credentialExpiryWorkflowId(feed)).query(credentialStatusQuery);
    expect(after.credentials.map((c) => c.keyId)).not.toContain(oldKey);
    expect(after.credentials[0]!.daysLeft).toBeGreaterThan(300);
    const earliest = (await env.client.workflow.getHandle(credentialExpiryWorkflowId(feed)).describe()).typedSearchAttributes.get(SA.credentialExpiry);
    expect(earliest!.getTime()).toBe(Date.parse(after.credentials[0]!.endDateTime));

    await new Promise((r) => setTimeout(r, 4000));
    expect(receiver.received).toHaveLength(1);
  } finally {
    await worker.stop();
  }
});

test('a reminder point fires when it is due, not before', async () => {
  env = await startEnv('cred-timing', { historyDays: 1, eventsPerMinute: 1 });
  receiver = await startReceiver();
  // With reminderDays [1], the one point is a day before expiry: 30 seconds from now (room for a slow worker start).
  const pointAt = Date.now() + 30_000;
  env.simulator.rotateSecret(TENANT, CLIENT, env.secret, new Date(pointAt + DAY).toISOString());
  const feed = newFeedId();
  const loaded = configWithWebhook(env, feed, [1]);
  const worker = await startWorker(env, loaded);
  try {
    const watch = await ensureCredentialWatch(env.client, findFeed(loaded.config, feed), env.taskQueue);
    watchIds.push(watch.workflowId);
    expect(watch.started).toBe(true);
    const handle = env.client.workflow.getHandle(watch.workflowId);
    const status = await waitFor('the first read', async () => {
      const s = await handle.query(credentialStatusQuery).catch(() => undefined);
      return s?.source ? s : undefined;
    }, 30_000, 250);
    expect(status.nextReminderAt).toBe(new Date(pointAt).toISOString()); // exactly the 1-day point
    expect(status.remindersSent).toBe(0);
    // Starting it again is harmless: the same run keeps going.
    expect((await ensureCredentialWatch(env.client, findFeed(loaded.config, feed), env.taskQueue)).started).toBe(false);

    // The first reminder received is the one checked against the point, so an early one fails below.
    const reminder = await waitFor('the 1-day reminder', () => receiver.received[0], 45_000, 100);
    expect(reminder.at).toBeGreaterThanOrEqual(pointAt - 500); // timers never fire early; allow for clock rounding
    expect(reminder.at).toBeLessThan(pointAt + 15_000);
    expect(reminder.body.daysLeft).toBe(0); // less than one whole day left at the 1-day point
    await new Promise((r) => setTimeout(r, 2000));
    expect(receiver.received).toHaveLength(1);
  } finally {
    await worker.stop();
  }
});
