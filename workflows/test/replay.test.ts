// Every recorded history (workflows/test/histories/, recorded by `pnpm histories:record` from the time-skipping runs)
// must replay against the current workflow code: a change that would break workflows in flight fails here, before a
// deploy does. docs/changing-workflows.md says how to change workflow code so that it keeps passing.
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';

const DIR = path.join(__dirname, 'histories');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
const history = (file: string) => ({ workflowId: file.replace(/\.json$/, ''), history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'))) });

jest.setTimeout(180_000);

test('the recorded histories cover every long-running workflow', () => {
  expect(files).toEqual(expect.arrayContaining(['backfill.json', 'backfill-window-id-start-end.json', 'credential-expiry.json', 'credential-expiry-run2.json', 'ingest-window-blocked.json', 'ingest-window-sweeps.json', 'users-sync.json', 'users-sync-two-activities.json']));
});

test('every recorded history replays against the current workflow code', async () => {
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../src'), logger: quiet });
  const failures: string[] = [];
  let replayed = 0;
  for await (const r of Worker.runReplayHistories({ workflowBundle, replayName: 'replay-test' }, files.map(history))) {
    replayed++;
    if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(files.length);
});

test('control: a window history does not replay against changed, unpatched workflow code', async () => {
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./fixtures/changed-ingest-window'), logger: quiet });
  const results = [];
  for await (const r of Worker.runReplayHistories({ workflowBundle, replayName: 'replay-control' }, [history('ingest-window-sweeps.json')])) results.push(r);
  expect(results).toHaveLength(1);
  expect(results[0]!.error).toBeInstanceOf(DeterminismViolationError);
});
