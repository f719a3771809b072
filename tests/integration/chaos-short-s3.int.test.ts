import { SHORT_RUN } from '../chaos/options';
import { runChaos } from '../chaos/run-chaos';

// `pnpm test:chaos --short --store s3`: the same chaos with workers that share no folder — each has its own config,
// secrets and data directory — and meet only in Temporal and an S3-compatible server (versitygw), which holds the
// claim checks, manifests and delivered index and receives the events (s3 sink) in place of the file sink.

jest.setTimeout(480_000);

test('workers sharing only Temporal and S3 deliver every record once under the same chaos', async () => {
  const lines: string[] = [];
  const result = await runChaos({ ...SHORT_RUN, store: 's3', drainTimeoutMs: 240_000 }, (line) => lines.push(line));
  const report = `${lines.join('\n')}\n${result.line}`;
  // notes include the isolation checks: distinct worker folders, no local store, the store's objects in the bucket.
  expect({ notes: result.notes, lost: result.lost, duplicated: result.duplicated }).toEqual({ notes: [], lost: 0, duplicated: 0 });
  expect(result.line).toMatch(/^expected=\d+ delivered=\d+ deadLettered=\d+ lost=0 duplicated=0 faults=\d+ kills=\d+ seconds=\d+$/);
  for (const source of ['directoryAudits', 'signIns', 'users']) {
    const s = result.sources.find((x) => x.source === source)!;
    expect(s.delivered + s.deadLettered).toBe(s.expected);
    expect(Object.keys(s.perSink).sort()).toEqual(['http', 's3']);
  }
  expect(result.expected).toBeGreaterThan(20_000);
  // The rejected event and the hostile ids are dead letters in the S3 store (no worker keeps any locally), not lost.
  expect(result.sources.find((x) => x.source === 'directoryAudits')!.deadLettered).toBeGreaterThan(1);
  expect(result.kills).toBe(SHORT_RUN.kills);
  if (result.seconds > 420) throw new Error(`the short chaos run on S3 took ${result.seconds} s (limit 420 s)\n${report}`);
});
