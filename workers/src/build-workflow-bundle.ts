// Build step (`pnpm build` runs it after tsc): bundles the workflow code once, so workers do not run webpack at start.
import { writeWorkflowBundle } from './workflow-bundle';

async function main(): Promise<void> {
  for (const variant of ['plain', 'encoded-failures'] as const) {
    const started = Date.now();
    if (await writeWorkflowBundle(variant)) process.stdout.write(`[build] workflow bundle (${variant}) in ${Date.now() - started} ms\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[build] workflow bundle failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
