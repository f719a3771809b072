// `pnpm test:chaos [--events N --duration 10m --workers 2 --kills 5 --seed S]`: runs the chaos run once; progress on
// stderr, the summary line last on stdout; exit code 1 when a record was lost or duplicated.
import { ChaosUsageError, parseChaosArgs } from './options';
import { runChaos } from './run-chaos';

async function main(): Promise<number> {
  let opts;
  try {
    opts = parseChaosArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof ChaosUsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const result = await runChaos(opts);
  for (const note of result.notes) process.stderr.write(`NOTE: ${note}\n`);
  for (const [source, missing] of Object.entries(result.missingWindows)) {
    if (missing.length) process.stderr.write(`NOTE: ${source} windows never completed: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}\n`);
  }
  process.stdout.write(`${result.line}\n`);
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos run failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
