import fs from 'node:fs';
import path from 'node:path';
import { ingestWindow, windowWorkflowId, windowProgressQuery, type IngestWindowInput } from '@entra-ingest/workflows';
import { exactlyOnce, feedConfig, fileSinkEvents, startEnv, startWorker, waitFor, writeConfig, type TestEnv } from '../support/harness';

// A broken feed (its secret is wrong) fails visibly — blocked, with the fix in its status — while another feed on the
// same worker keeps delivering; once the secret is fixed, the blocked window recovers by itself.

const MIN = 60_000;
let env: TestEnv;

afterEach(async () => {
  await env?.cleanup();
});

test('a feed with a bad secret is blocked on its own, the other feed delivers, and the fix unblocks it', async () => {
  env = await startEnv('isolation', { eventsPerMinute: 10, historyDays: 1 });
  const base = feedConfig(env);
  const good = (base.feeds as Record<string, unknown>[])[0]!;
  const broken = { ...good, id: 'broken', credential: { clientSecret: { file: 'wrong-secret' } } };
  fs.writeFileSync(path.join(env.dir, 'wrong-secret'), 'not-the-secret');
  const loaded = writeConfig(env, { ...base, feeds: [good, broken] as never });
  const worker = await startWorker(env, loaded);
  try {
    const end = Math.floor((Date.now() - 2 * 60 * MIN) / (30 * MIN)) * 30 * MIN;
    const w = { start: new Date(end - 30 * MIN).toISOString(), end: new Date(end).toISOString() };
    const start = (feed: string) => {
      const input: IngestWindowInput = { feed, source: 'directoryAudits', windowStart: w.start, windowEnd: w.end, sweepDelaysMs: [], pacing: { blockedRetryMs: 2000, transientRetryMs: 1000 } };
      return env.client.workflow.start(ingestWindow, { taskQueue: env.taskQueue, workflowId: `${env.taskQueue}/${windowWorkflowId(feed, 'directoryAudits', w.start, w.end)}`, args: [input] });
    };
    const [goodRun, brokenRun] = [await start('test'), await start('broken')];
    await goodRun.result();
    const expected = env.simulator.groundTruth({ source: 'directoryAudits', from: w.start, to: w.end }).filter((r) => Date.parse(r.time) < end).map((r) => r.id);
    const goodIds = fileSinkEvents(path.join(env.dir, 'data/ocsf')).filter((e) => path.basename(e.file).startsWith('test-')).map((e) => e.id);
    expect(exactlyOnce(goodIds, expected)).toEqual({ lost: [], duplicated: [], unexpected: [] });

    const blocked = await waitFor('the broken feed to report blocked', async () => {
      const p = await brokenRun.query(windowProgressQuery);
      return p.status === 'blocked' ? p : undefined;
    }, 60_000);
    expect(blocked.lastError).toMatch(/AADSTS7000215/);
    expect(blocked.lastError).toMatch(/Certificates & secrets|secret/i);
    expect((await brokenRun.describe()).status.name).toBe('RUNNING');

    // Fixing the secret reference's content is all it takes: the next attempt succeeds.
    fs.writeFileSync(path.join(env.dir, 'wrong-secret'), env.secret);
    const totals = await brokenRun.result();
    expect(totals.delivered).toBe(expected.length);
  } finally {
    await worker.stop();
  }
});
