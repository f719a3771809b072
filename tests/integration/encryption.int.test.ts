import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, defaultPayloadConverter, type WorkflowHandle } from '@temporalio/client';
import { dataConverterFromConfig, payloadsFromJson, payloadsToJson, startCodecServer } from '@entra-ingest/codec';
import type { LoadedConfig } from '@entra-ingest/config';
import { checkFeed, ingestWindow, windowsBetween, type IngestWindowInput } from '@entra-ingest/workflows';
import { feedConfig, startEnv, startWorker, writeConfig, type TestEnv } from '../support/harness';

// With temporal.encryption on, what Temporal stores (and anyone reading history without the keys sees) must not
// contain the identifiers that travel in workflow inputs, activity inputs, results and failure messages; with it off
// the same run shows them, which proves the search below would find them.

const FEED = 'enc-feed';
const MISSING_FEED = 'enc-missing-feed';
const MIN = 60_000;
// The project-level testTimeout is not applied to every run mode (a single file run): set it here.
jest.setTimeout(180_000);
let env: TestEnv;

afterEach(async () => {
  await env?.cleanup();
});

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

function mentions(value: unknown, needle: string, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(needle);
  if (value instanceof Uint8Array) return Buffer.from(value).includes(needle);
  if (value && typeof value === 'object' && depth < 40) return Object.values(value).some((v) => mentions(v, needle, depth + 1));
  return false;
}

/** The history events that contain `needle` anywhere (strings, or inside payload bytes), named by their attributes. */
function eventsMentioning(history: History, needle: string): string[] {
  return (history.events ?? [])
    .filter((e) => mentions(e, needle))
    .map((e) => `#${e.eventId} ${Object.keys(e).find((k) => k.endsWith('Attributes') && (e as Record<string, unknown>)[k]) ?? '?'}`);
}

function encryptedConfig(env: TestEnv): LoadedConfig {
  fs.writeFileSync(path.join(env.dir, 'payload-2026.key'), crypto.randomBytes(32).toString('base64'));
  const encryption = { currentKeyId: 'payload-2026', keys: [{ id: 'payload-2026', key: { file: 'payload-2026.key' } }] };
  return writeConfig(env, feedConfig(env, { id: FEED }, { temporal: { encryption } }));
}

async function runWindow(env: TestEnv, client: Client): Promise<{ handle: WorkflowHandle<typeof ingestWindow>; input: IngestWindowInput }> {
  const now = Date.now();
  const [w] = windowsBetween(now - 3 * 60 * MIN, now - 150 * MIN, 30 * MIN);
  const input: IngestWindowInput = { feed: FEED, source: 'directoryAudits', windowStart: w!.start, windowEnd: w!.end, sweepDelaysMs: [], pacing: { blockedRetryMs: 2000, transientRetryMs: 1000 } };
  // A workflow id and task queue that do not contain the identifiers: those are never encrypted.
  const handle = await client.workflow.start(ingestWindow, { taskQueue: env.taskQueue, workflowId: `enc-test-${crypto.randomUUID()}`, args: [input] });
  return { handle, input };
}

async function runFailingCheck(env: TestEnv, client: Client): Promise<WorkflowHandle<typeof checkFeed>> {
  const handle = await client.workflow.start(checkFeed, { taskQueue: env.taskQueue, workflowId: `enc-check-${crypto.randomUUID()}`, args: [MISSING_FEED] });
  await expect(handle.result()).rejects.toThrow();
  return handle;
}

test('with encryption on, history holds no feed id, window time or failure message; the codec reads them back', async () => {
  env = await startEnv('encryption', { eventsPerMinute: 2, historyDays: 1 });
  const loaded = encryptedConfig(env);
  const dataConverter = dataConverterFromConfig(loaded.config, loaded.baseDir)!;
  const codecClient = new Client({ connection: env.connection, dataConverter });
  const worker = await startWorker(env, loaded);
  try {
    const { handle, input } = await runWindow(env, codecClient);
    const totals = await handle.result();
    expect(totals.passesDone).toBe(1);

    // env.client has no codec: it sees what the server stores.
    const plainHandle = env.client.workflow.getHandle(handle.workflowId);
    const history = await plainHandle.fetchHistory();
    expect(history.events!.length).toBeGreaterThan(10);
    expect(eventsMentioning(history, FEED)).toEqual([]);
    expect(eventsMentioning(history, input.windowStart)).toEqual([]);
    expect(eventsMentioning(history, 'binary/encrypted').length).toBeGreaterThan(5);
    await expect(plainHandle.result()).rejects.toThrow(/binary\/encrypted/);

    // The input, decrypted with the configured key, is exactly what was sent.
    const started = history.events![0]!.workflowExecutionStartedEventAttributes!;
    const [decoded] = await dataConverter.payloadCodecs![0]!.decode(started.input!.payloads!);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(input);
    expect(await codecClient.workflow.getHandle(handle.workflowId).result()).toEqual(totals);

    // The codec server the Web UI would call gives the same answer over HTTP.
    const server = await startCodecServer({ codecs: dataConverter.payloadCodecs!, port: 0 });
    try {
      const res = await fetch(`${server.url}/decode`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default' }, body: JSON.stringify(payloadsToJson(started.input!.payloads!)) });
      expect(res.status).toBe(200);
      expect(defaultPayloadConverter.fromPayload(payloadsFromJson(await res.json())[0]!)).toEqual(input);
    } finally {
      await server.close();
    }

    // Failure messages are encoded too (they often quote identifiers), yet still readable with the codec.
    const failing = await runFailingCheck(env, codecClient);
    expect(eventsMentioning(await env.client.workflow.getHandle(failing.workflowId).fetchHistory(), MISSING_FEED)).toEqual([]);
    const failure = (await failing.result().then(() => undefined, (e: unknown) => e)) as (Error & { cause?: Error & { cause?: Error } }) | undefined;
    expect(failure?.cause?.cause?.message).toContain(`feed "${MISSING_FEED}" is not in this worker's config`);
  } finally {
    await worker.stop();
  }
});

test('with encryption off, the same identifiers are in history in clear', async () => {
  env = await startEnv('plain', { eventsPerMinute: 2, historyDays: 1 });
  const loaded = writeConfig(env, feedConfig(env, { id: FEED }));
  expect(dataConverterFromConfig(loaded.config, loaded.baseDir)).toBeUndefined();
  const worker = await startWorker(env, loaded);
  try {
    const { handle, input } = await runWindow(env, env.client);
    await handle.result();
    const history = await handle.fetchHistory();
    expect(eventsMentioning(history, FEED)).toContain('#1 workflowExecutionStartedEventAttributes');
    expect(eventsMentioning(history, input.windowStart).length).toBeGreaterThan(1);
    expect(eventsMentioning(history, 'binary/encrypted')).toEqual([]);

    const failing = await runFailingCheck(env, env.client);
    const failed = eventsMentioning(await failing.fetchHistory(), `feed "${MISSING_FEED}" is not in this worker's config`);
    expect(failed.length).toBeGreaterThan(0);
  } finally {
    await worker.stop();
  }
});
