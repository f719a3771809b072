// Child process: the plain loop (plain-loop.ts) over the windows in argv, reporting its result over IPC.
import { loadConfig } from '@entra-ingest/config';
import { runPlainLoop } from './plain-loop';

async function main(): Promise<void> {
  const [configFile, windowsJson, concurrency] = process.argv.slice(2);
  if (!configFile || !windowsJson || !concurrency) throw new Error('usage: plain-main <config> <windows json> <concurrency>');
  const loaded = loadConfig(configFile);
  process.send?.({ type: 'ready' });
  const result = await runPlainLoop(loaded, JSON.parse(windowsJson), Number(concurrency));
  process.send?.({ type: 'result', result });
  process.disconnect?.();
}

main().catch((err: unknown) => {
  process.send?.({ type: 'error', error: err instanceof Error ? err.stack ?? err.message : String(err) });
  process.exitCode = 1;
});
