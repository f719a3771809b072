import { Context } from '@temporalio/activity';

/**
 * Heartbeats every few seconds while `work` runs, however long a single request or sink retry takes, so the
 * server notices a dead worker within the heartbeat timeout instead of the whole start-to-close timeout.
 */
export async function withHeartbeat<T>(work: () => Promise<T>, everyMs = 5000): Promise<T> {
  const ctx = Context.current();
  const timer = setInterval(() => ctx.heartbeat(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
