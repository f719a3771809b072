import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readDeadLetters } from '@entra-ingest/sinks';
import { FileBlobStore } from '@entra-ingest/store';
import { ingestWindow, windowWorkflowId, type IngestWindowInput, type WindowTotals } from '@entra-ingest/workflows';
import { generateServerTls } from '../../packages/graph-simulator/src/tls';
import { TENANT, feedConfig, fileSinkEvents, startEnv, startWorker, writeConfig, type TestEnv } from '../support/harness';

// The bad-input corpus end to end: a small Graph-like HTTPS server (token endpoint + directoryAudits) serves a window
// full of hostile records between two clean windows. The worker must dead-letter each hostile record with its reason,
// deliver the good ones, complete the window, keep serving the next one, and lose nothing delivered before.

interface GraphLike {
  url: string;
  caFile: string;
  /** Pages by window start (ISO, as sent in the $filter). */
  pages: Map<string, string>;
  tokens: string[];
  close(): Promise<void>;
}

async function startGraphLike(dir: string): Promise<GraphLike> {
  const tls = await generateServerTls('127.0.0.1');
  const caFile = path.join(dir, 'graph-like-ca.pem');
  fs.writeFileSync(caFile, tls.caCertPem);
  const pages = new Map<string, string>();
  const tokens: string[] = [];
  const server = https.createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      if (/\/oauth2\/v2\.0\/token$/.test(url.pathname)) {
        const token = `bad-input-token-${crypto.randomBytes(8).toString('hex')}`;
        tokens.push(token);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: token }));
        return;
      }
      const from = /activityDateTime ge (\S+)/.exec(url.searchParams.get('$filter') ?? '')?.[1];
      const body = from ? pages.get(new Date(from).toISOString()) : undefined;
      if (url.pathname !== '/v1.0/auditLogs/directoryAudits' || body === undefined) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'BadRequest', message: `nothing here for ${url.pathname}` } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, caFile, pages, tokens,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

const HOUR = 3_600_000;
const audit = (id: string, at: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id, activityDateTime: new Date(at).toISOString(), activityDisplayName: 'Update user', category: 'UserManagement', loggedByService: 'Core Directory',
  operationType: 'Update', result: 'success', initiatedBy: { user: { id: 'u1', userPrincipalName: 'admin@contoso.example' } },
  targetResources: [{ id: 't1', type: 'User', userPrincipalName: 'someone@contoso.example', modifiedProperties: [] }], ...extra,
});

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

let env: TestEnv;
let graph: GraphLike;

afterEach(async () => {
  await graph?.close();
  await env?.cleanup();
});

test('a window of hostile records: each bad one is dead-lettered with its reason, good ones delivered, the worker keeps serving', async () => {
  env = await startEnv('bad-input', { historyDays: 1, eventsPerMinute: 1 });
  graph = await startGraphLike(env.dir);
  const feed = `bad${crypto.randomBytes(3).toString('hex')}`;
  const loaded = writeConfig(env, feedConfig(env, { id: feed, loginUrl: graph.url, graphUrl: graph.url, caFile: path.basename(graph.caFile), window: '1h', rateLimit: { requests: 50, per: '10s' } }));
  const base = Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR;
  const windows = [0, 1, 2].map((i) => ({ start: new Date(base + i * HOUR).toISOString(), end: new Date(base + (i + 1) * HOUR).toISOString() }));
  const inWindow = (i: number, minute: number) => base + i * HOUR + minute * 60_000;

  // Windows 0 and 2 are clean. Window 1 holds the hostile records, each with what must become of it.
  const clean = (i: number) => [1, 2, 3].map((n) => audit(`Directory_clean_${i}_${n}`, inWindow(i, n * 10)));
  const deep = `${'{"v":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
  const hostile: { record: string; reason?: RegExp }[] = [
    { record: JSON.stringify(audit('Directory_good_1', inWindow(1, 1))) },
    { record: JSON.stringify(audit('Directory_good_big', inWindow(1, 2), { activityDisplayName: 'x'.repeat(1_048_576) })) },
    { record: JSON.stringify(audit('Directory_good_ctl', inWindow(1, 3), { activityDisplayName: 'a\u0000b\r\n{"injected":true}\ud800' })) },
    { record: JSON.stringify(audit('../../../../outside-the-root', inWindow(1, 4))) },
    { record: JSON.stringify(audit('Directory_dupkey', inWindow(1, 5))).replace('"id":"Directory_dupkey"', '"id":"Directory_first","id":"Directory_dupkey"') },
    { record: JSON.stringify(audit('', inWindow(1, 6))), reason: /no usable id/ },
    { record: JSON.stringify({ ...audit('x', inWindow(1, 7)), id: 4711 }), reason: /no usable id/ },
    { record: JSON.stringify(audit('Directory_no_time', inWindow(1, 8), { activityDateTime: undefined })), reason: /no usable time/ },
    { record: JSON.stringify(audit('Directory_us_date', inWindow(1, 9), { activityDateTime: '11/01/2026 01:02:03' })), reason: /no usable time/ },
    { record: JSON.stringify(audit('Directory_epoch', inWindow(1, 10), { activityDateTime: inWindow(1, 10) })), reason: /no usable time/ },
    { record: JSON.stringify(audit('Directory_deep', inWindow(1, 11))).replace('"modifiedProperties":[]', `"modifiedProperties":[{"displayName":"X","newValue":${deep}}]`), reason: /cannot serialise the OCSF event/ },
    { record: JSON.stringify(audit('Directory_nulls', inWindow(1, 12), { initiatedBy: null, targetResources: null })) },
    { record: JSON.stringify(audit('Directory_types', inWindow(1, 13), { targetResources: '[{"id":"t1"}]', result: 3, category: ['x'] })) },
  ];
  graph.pages.set(windows[0]!.start, JSON.stringify({ value: clean(0) }));
  graph.pages.set(windows[1]!.start, `{"value":[${hostile.map((h) => h.record).join(',')}]}`);
  graph.pages.set(windows[2]!.start, JSON.stringify({ value: clean(2) }));

  const worker = await startWorker(env, loaded);
  const run = async (i: number): Promise<WindowTotals> => {
    const input: IngestWindowInput = { feed, source: 'directoryAudits', windowStart: windows[i]!.start, windowEnd: windows[i]!.end, sweepDelaysMs: [], pacing: { blockedRetryMs: 1000, transientRetryMs: 1000 } };
    const handle = await env.client.workflow.start(ingestWindow, { taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/${windowWorkflowId(feed, 'directoryAudits', windows[i]!.start, windows[i]!.end)}`, args: [input] });
    return handle.result();
  };
  const root = path.join(env.dir, 'data/ocsf');
  try {
    const first = await run(0);
    expect(first).toMatchObject({ delivered: 3, deadLetters: 0 });
    const filesBefore = new Map(walk(root).map((f) => [f, fs.readFileSync(f, 'utf8')]));

    const bad = await run(1);
    const deadLettered = hostile.filter((h) => h.reason);
    expect(bad).toMatchObject({ fetched: hostile.length, delivered: hostile.length - deadLettered.length, deadLetters: deadLettered.length });

    // Every hostile record's fate is on disk: delivered once, or a dead letter saying why.
    const ids = fileSinkEvents(root).map((e) => e.id);
    expect(ids.filter((id) => !id.startsWith('Directory_clean_')).sort()).toEqual(
      ['../../../../outside-the-root', 'Directory_dupkey', 'Directory_good_1', 'Directory_good_big', 'Directory_good_ctl', 'Directory_nulls', 'Directory_types'].sort());
    // Dead letters are in the store (here the data folder's; S3 when configured), one per record and cause.
    const letters = await readDeadLetters(new FileBlobStore(path.join(env.dir, 'data/store')));
    expect(letters).toHaveLength(deadLettered.length);
    for (const h of deadLettered) expect(letters.some((l) => h.reason!.test(l.reason))).toBe(true);
    // Stored as Graph sent it, the record too deep for JSON.stringify fails where its event is written.
    expect(letters.find((l) => l.recordId === 'Directory_deep')).toMatchObject({
      reason: expect.stringMatching(/cannot serialise the OCSF event: Maximum call stack size exceeded/),
      payload: expect.stringMatching(/^\[unserializable payload/),
    });
    expect(letters.every((l) => l.feed === feed)).toBe(true);
    // The 1 MB event is whole (every line parsed above, so none was split by the control characters).
    const big = fileSinkEvents(root).find((e) => e.id === 'Directory_good_big')!;
    expect(fs.readFileSync(big.file, 'utf8').split('\n').find((l) => l.includes('"Directory_good_big"'))!.length).toBeGreaterThan(1_048_576);

    // The worker is still serving, and nothing delivered earlier was touched.
    const after = await run(2);
    expect(after).toMatchObject({ delivered: 3, deadLetters: 0 });
    for (const [file, text] of filesBefore) expect(fs.readFileSync(file, 'utf8')).toBe(text);
    // Nothing was written outside the data folder's two areas.
    for (const f of walk(path.join(env.dir, 'data'))) expect(path.relative(path.join(env.dir, 'data'), f)).toMatch(/^(ocsf|store)\//);
    expect(fs.readdirSync(env.dir).sort()).toEqual(expect.not.arrayContaining(['outside-the-root']));
  } finally {
    await worker.stop();
  }
});
