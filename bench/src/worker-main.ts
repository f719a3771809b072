// Child process: the production ingest worker for one config and task queue. The parent reads its memory from /proc,
// says `stop` over IPC when the measured work is done, and gets `ready` once the worker polls; its result says what
// its memory was made of when its RSS was highest.
import { createLogger, loadConfig } from '@entra-ingest/config';
import { createIngestWorker } from '@entra-ingest/worker';
import { MemoryPeak } from './memory-peak';

async function main(): Promise<void> {
  const [configFile, address, taskQueue] = process.argv.slice(2);
  if (!configFile || !address || !taskQueue) throw new Error('usage: worker-main <config> <temporal address> <task queue>');
  const loaded = loadConfig(configFile);
  const worker = await createIngestWorker({ loaded, address, taskQueue, logger: createLogger('bench-worker'), shutdownGraceTime: '2s' });
  const running = worker.run();
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'stop') worker.shutdown();
  });
  // The bench died without saying stop: do not outlive it.
  process.on('disconnect', () => worker.shutdown());
  const memory = new MemoryPeak();
  process.send?.({ type: 'ready' });
  await running;
  process.send?.({ type: 'result', result: { stopped: true, memory: memory.stop() } });
  process.disconnect?.();
}

main().catch((err: unknown) => {
  process.send?.({ type: 'error', error: err instanceof Error ? err.stack ?? err.message : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100).unref();
});
