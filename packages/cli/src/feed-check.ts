import crypto from 'node:crypto';
import { type LoadedConfig, type Logger, createLogger } from '@entra-ingest/config';
import { type CheckReport, SA, checkFeed, checkWorkflowId } from '@entra-ingest/workflows';
import { createIngestWorker } from '@entra-ingest/worker';
import { connectTemporal } from './temporal';

export interface FeedCheckOptions {
  logger?: Logger;
}

/**
 * Runs the onboarding check where ingestion would run it: a worker of this process, on a task queue of its own (so no
 * other worker picks the check up with a different config), executes the `checkFeed` workflow, then stops.
 */
export async function runFeedCheck(loaded: LoadedConfig, feedId: string, opts: FeedCheckOptions = {}): Promise<CheckReport> {
  const logger = opts.logger ?? createLogger('check', { level: process.env.ENTRA_INGEST_LOG_LEVEL ? undefined : 'warn' });
  const nonce = crypto.randomUUID();
  const taskQueue = `check-${nonce}`;
  // No metrics server: the check must not take the port of a worker running beside it.
  const withoutMetrics: LoadedConfig = { ...loaded, config: { ...loaded.config, metrics: undefined } };
  const t = await connectTemporal(loaded.config);
  try {
    const worker = await createIngestWorker({ loaded: withoutMetrics, taskQueue, logger, shutdownGraceTime: '1s' });
    const running = worker.run();
    try {
      const stopped = running.then(() => {
        throw new Error('the check worker stopped before the check ended');
      });
      return await Promise.race([
        t.client.workflow.execute(checkFeed, {
          workflowId: checkWorkflowId(feedId, nonce), taskQueue, args: [feedId], workflowExecutionTimeout: '5 minutes',
          typedSearchAttributes: [{ key: SA.feed, value: feedId }, { key: SA.kind, value: 'check' }],
          staticSummary: `onboarding check of feed ${feedId}`,
        }),
        stopped,
      ]);
    } finally {
      worker.shutdown();
      await running.catch(() => undefined);
    }
  } finally {
    await t.close();
  }
}
