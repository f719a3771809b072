import type { Client } from '@temporalio/client';

/** How long a call nobody waits for (a progress query, queue statistics) may take, retries included. */
const SIDE_CALL_DEADLINE_MS = 5000;

/**
 * Calls to Temporal that run beside a command's main wait and are not awaited by it. The Temporal client retries a
 * failed call from a timer; if the connection is closed in between, that timer starts a call on the shut-down channel,
 * which throws outside any promise and kills the process. So each side call gets a deadline (its retries stop with
 * it) and the connection is closed only after every side call has settled.
 */
export class SideCalls {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly client: Pick<Client, 'withDeadline'>) {}

  run<T>(call: () => Promise<T>): Promise<T> {
    const result = this.client.withDeadline(Date.now() + SIDE_CALL_DEADLINE_MS, call);
    const settled = result.then(() => undefined, () => undefined);
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return result;
  }

  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
