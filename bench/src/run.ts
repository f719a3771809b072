// `pnpm bench [--quick]`: every section, a table on stdout and bench/results/latest.json (see docs/performance.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchBackfillSpeed } from './backfill-speed';
import { benchEndToEnd } from './end-to-end';
import { benchFreshness } from './freshness';
import { benchGraphLimit } from './graph-limit';
import { describeMachine } from './machine';
import { benchMapping } from './mapping';
import { parseOptions, type BenchOptions } from './options';
import { renderTable, type BenchResults } from './report';
import { benchSimulator } from './simulator-speed';
import { PROJECT_ROOT, startTemporal, type Temporal } from './stack';

const RESULTS_DIR = path.join(PROJECT_ROOT, 'bench', 'results');
const progress = (line: string): void => {
  process.stderr.write(`[bench] ${new Date().toISOString().slice(11, 19)} ${line}\n`);
};

async function main(): Promise<void> {
  let opts: BenchOptions;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const started = Date.now();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'entra-bench-'));
  const wants = (s: BenchOptions['sections'][number]): boolean => opts.sections.includes(s);
  let temporal: Temporal | undefined;
  try {
    // CPU-bound sections first, before the dev server and workers exist.
    const mapping = wants('mapping') ? (progress(`mapping: ${opts.mapping.records} records per source`), await benchMapping(opts.mapping)) : undefined;
    const simulator = wants('simulator') ? (progress(`simulator: ${opts.simulator.records} records over HTTPS`), await benchSimulator(opts.simulator)) : undefined;
    const needsTemporal = wants('e2e') || wants('limit') || wants('freshness') || wants('backfill');
    if (needsTemporal) {
      temporal = await startTemporal();
      // Even if the bench dies on an error nobody caught, its dev server must not outlive it.
      const server = temporal.server.process;
      process.once('exit', () => server.exitCode === null && server.kill('SIGKILL'));
    }
    const machine = describeMachine(PROJECT_ROOT, temporal?.cliPath ?? 'temporal');
    const results: BenchResults = { mode: opts.quick ? 'quick' : 'full', startedAt: new Date(started).toISOString(), wallSeconds: 0, machine, mapping, simulator };
    if (wants('e2e')) {
      progress(`end to end: ${opts.e2e.sizes.join(', ')} directory audits, Temporal and plain loop`);
      results.endToEnd = await benchEndToEnd(temporal!, workDir, opts.e2e);
    }
    const limit = (): Promise<void> | undefined => wants('limit')
      ? (progress(`Graph limit: ~${opts.limit.seconds} s per scenario`), benchGraphLimit(temporal!, workDir, opts.limit).then((r) => void (results.graphLimit = r)))
      : undefined;
    const fresh = (): Promise<void> | undefined => wants('freshness')
      ? (progress(`freshness: ${opts.freshness.measureSeconds} s measured + ${opts.freshness.graceSeconds} s grace`), benchFreshness(temporal!, workDir, opts.freshness).then((r) => void (results.freshness = r)))
      : undefined;
    if (opts.overlapLimitAndFreshness) await Promise.all([limit(), fresh()]);
    else {
      await limit();
      await fresh();
    }
    if (wants('backfill')) {
      progress(`backfill: 7 days, ${opts.backfill.quietRecords} and ${opts.backfill.busyRecords} directory audits, 5-minute feed window`);
      results.backfill = await benchBackfillSpeed(temporal!, workDir, opts.backfill);
    }
    results.wallSeconds = (Date.now() - started) / 1000;
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const json = `${JSON.stringify(results, null, 2)}\n`;
    fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), json);
    fs.writeFileSync(path.join(RESULTS_DIR, `${results.mode}-${results.startedAt.replace(/[:.]/g, '-')}.json`), json);
    process.stdout.write(`${renderTable(results)}\n\nresults: ${path.relative(process.cwd(), path.join(RESULTS_DIR, 'latest.json'))}\n`);
  } finally {
    await temporal?.close();
    if (!opts.keep) fs.rmSync(workDir, { recursive: true, force: true });
    else progress(`kept ${workDir}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
