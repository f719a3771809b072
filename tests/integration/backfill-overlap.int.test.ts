import crypto from 'node:crypto';
import path from 'node:path';
import { alignDown, windowsCovering } from '@entra-ingest/workflows';
import { ensureSchedules } from '../../packages/cli/src/schedules';
import { exactlyOnce, feedConfig, fileSinkEvents, startEnv, startWorker, waitFor, writeConfig, type TestEnv } from '../support/harness';
import { runCliProcess } from '../support/cli-process';

// The "must show", on the parts `npm start` runs (simulator over HTTPS, dev server, worker, the feed's
// schedule created as `entra-ingest schedule create --trigger` does, the CLI as a user runs it): a `--window 10m`
// backfill over a range the 1-minute schedule has partly read — and is still reading — delivers every record of the
// range exactly once. The range's ends are on no window boundary.

const MIN = 60_000;
let env: TestEnv;

afterEach(async () => {
  await env?.cleanup();
});

test('a --window 10m backfill over a range the 1-minute schedule partly read delivers every record of it exactly once', async () => {
  env = await startEnv('backfill-overlap', { historyDays: 1, eventsPerMinute: 30, throttle: { enabled: true }, latency: { p50Seconds: 1, maxSeconds: 5, tailShare: 0 } });
  const feed = `ov${crypto.randomBytes(4).toString('hex')}`;
  const loaded = writeConfig(env, feedConfig(env, { id: feed, window: '1m', every: '1m', lag: '1m', initialLookback: '20m', maxWindowsPerRun: 30 }));
  const worker = await startWorker(env, loaded);
  const feedCfg = loaded.config.feeds[0]!;
  try {
    const now = Date.now();
    const to = new Date(alignDown(now, MIN) - 4 * MIN - 26_000).toISOString();
    const from = new Date(alignDown(now, MIN) - 40 * MIN + 13_500).toISOString();
    await ensureSchedules(env.client, feedCfg, env.taskQueue, { triggerNow: true });
    const scheduled = (): Promise<number> => env.client.workflow.count(`EntraFeed = "${feed}" AND EntraKind = "window" AND ExecutionStatus = "Completed"`).then((c) => Number(c.count));
    await waitFor('the schedule to have read some 1-minute windows', async () => ((await scheduled()) >= 3 ? true : undefined), 90_000, 500);

    const cli = await runCliProcess(['backfill', '--config', loaded.source, '--feed', feed, '--source', 'directoryAudits', '--from', from, '--to', to, '--window', '10m', '--wait'], { ENTRA_INGEST_TASK_QUEUE: env.taskQueue });
    // A failure shows what the CLI printed.
    if (cli.code !== 0 || /entra-ingest: error/.test(cli.stderr)) throw new Error(`backfill CLI exited ${cli.code}:\n${cli.stdout}\n${cli.stderr}`);
    // The CLI says exactly what it covers, unaligned ends included.
    expect(cli.stdout).toContain(`[${from}, ${to})`);
    const windows = windowsCovering(Date.parse(from), Date.parse(to), 10 * MIN);
    expect(windows.length).toBeGreaterThanOrEqual(4);
    expect(cli.stdout).toContain(`as ${windows.length} windows of up to 10m`);

    // Every record of the range, whichever window (the schedule's or the backfill's) delivered it.
    const truth = env.simulator.groundTruth({ source: 'directoryAudits', from, to }).filter((r) => Date.parse(r.time) < Date.parse(to)).map((r) => r.id);
    expect(truth.length).toBeGreaterThan(500);
    const inRange = new Set(truth);
    const result = await waitFor('every record of the range delivered', () => {
      const delivered = fileSinkEvents(path.join(env.dir, 'data/ocsf')).map((e) => e.id);
      const r = exactlyOnce(delivered.filter((id) => inRange.has(id)), truth);
      return r.lost.length === 0 ? { r, delivered } : undefined;
    }, 60_000, 1000);
    expect(result.r).toEqual({ lost: [], duplicated: [], unexpected: [] });
    // Nothing was delivered twice anywhere in the sink either (the schedule's windows outside the range included).
    expect(exactlyOnce(result.delivered, [...new Set(result.delivered)]).duplicated).toEqual([]);
    // The schedule did read part of the range: the two really overlapped.
    expect(await scheduled()).toBeGreaterThan(3);
  } finally {
    for (const source of ['directoryAudits']) await env.client.schedule.getHandle(`entra-ingest/${feed}/${source}`).delete().catch(() => undefined);
    await worker.stop();
  }
}, 240_000);
