import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { parseConfigText, silentLogger } from '@entra-ingest/config';
import { FileBlobStore, RecordIndex, hourBucket } from '@entra-ingest/store';
import type { WindowPass } from '@entra-ingest/workflows';
import { createActivities } from '../src/activities';
import { FeedRegistry } from '../src/feeds';
import { IngestMetrics } from '../src/metrics';
import { claimantOf, pageKey } from '../src/window-layout';

// Windows started before map and deliver became one activity still map (mapWindow) and deliver (deliverWindow) in
// two. Such a pass read again may map fewer records than an earlier attempt claimed (a split read that reaches less
// far back the second time): those claims must not stay this pass's, or every other window skips the records for
// good. The activities run here as Temporal would run them, on a real file store, without a server.

const WINDOW: WindowPass = { feed: 'acme', source: 'directoryAudits', windowStart: '2026-11-01T12:00:00.000Z', windowEnd: '2026-11-01T13:00:00.000Z', pass: 0 };
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../../packages/ocsf/test/fixtures/graph/directoryAudits-list-example.json'), 'utf8')) as { value: Record<string, unknown>[] };
const audit = (id: string, minute: number): Record<string, unknown> => ({ ...fixture.value[0], id, activityDateTime: `2026-11-01T12:${String(minute).padStart(2, '0')}:00Z` });

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'legacy-deliver-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What the activities logged, as [level, message, fields]. */
type Logged = [string, string, Record<string, unknown> | undefined][];

async function deliverTwoStep(store: FileBlobStore, records: Record<string, unknown>[]): Promise<Logged> {
  const loaded = {
    config: parseConfigText([
      'dataDir: data', 'feeds:', '  - id: acme', '    tenantId: t', '    clientId: c', '    credential: { clientSecret: { env: ACME_SECRET } }',
      '    sinks: [{ type: file, id: file, root: ocsf }]', '',
    ].join('\n'), 'test'),
    baseDir: dir, source: 'test',
  };
  const metrics = new IngestMetrics();
  const activities = createActivities({ feeds: new FeedRegistry(loaded, silentLogger, metrics), store, metrics, logger: silentLogger });
  await store.put(pageKey(WINDOW, 0), JSON.stringify(records));
  const logged: Logged = [];
  const at = (level: string) => (message: string, meta?: Record<string, unknown>): void => void logged.push([level, message, meta]);
  const logger = { log: (level: string, message: string, meta?: Record<string, unknown>) => at(level)(message, meta), trace: at('TRACE'), debug: at('DEBUG'), info: at('INFO'), warn: at('WARN'), error: at('ERROR') };
  const env = new MockActivityEnvironment(undefined, { logger });
  await env.run(activities.mapWindow, { ...WINDOW, pages: 1 });
  await env.run(activities.deliverWindow, WINDOW);
  return logged;
}

test('a two-step pass releases what an earlier attempt claimed and this mapping does not hold, and settles what it delivered', async () => {
  const store = new FileBlobStore(path.join(dir, 'store'));
  const index = new RecordIndex(store, WINDOW.feed, WINDOW.source);
  const bucket = hourBucket(Date.parse(WINDOW.windowStart));
  // The earlier attempt claimed "late" (and "a"); this attempt's read no longer reaches "late".
  await index.claim(bucket, claimantOf(WINDOW), ['a', 'late']);
  const logged = await deliverTwoStep(store, [audit('a', 5), audit('b', 10)]);

  const after = await index.read(bucket);
  expect(after.delivered.sort()).toEqual(['a', 'b']);
  expect(after.claims[claimantOf(WINDOW)] ?? []).toEqual([]);
  // Another window may now take "late"; the operator is told.
  expect((await index.unavailable(bucket, 'windows/acme/directoryAudits/other/p0')).has('late')).toBe(false);
  expect(logged).toContainEqual(['WARN', 'records an earlier attempt of this pass claimed were not mapped again', expect.objectContaining({ released: 1, settled: 0 })]);
});

test('the control: the claim the earlier attempt left is what keeps other windows off the record', async () => {
  const store = new FileBlobStore(path.join(dir, 'store'));
  const index = new RecordIndex(store, WINDOW.feed, WINDOW.source);
  const bucket = hourBucket(Date.parse(WINDOW.windowStart));
  await index.claim(bucket, claimantOf(WINDOW), ['late']);
  expect((await index.unavailable(bucket, 'windows/acme/directoryAudits/other/p0')).has('late')).toBe(true);
});
