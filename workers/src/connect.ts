import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Logger } from '@entra-ingest/config';

/** 1 s, 2 s, 4 s … capped at 30 s: quick when Temporal is seconds away (compose start-up), quiet when it is down. */
export function connectRetryDelayMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
}

/** "tonic::transport::Error(… \"tcp connect error\" … message: \"Connection refused\" …)" → "tcp connect error: Connection refused". */
export function transportReason(message: string): string {
  const what = /\\?"(tcp connect error|dns error|[a-z ]*error)\\?"/.exec(message)?.[1];
  const detail = /message: \\?"([^"\\]+)/.exec(message)?.[1] ?? /error: \\?"([^"\\]+)/.exec(message)?.[1];
  return [what, detail].filter(Boolean).join(': ') || message;
}

/**
 * Connects the worker to Temporal, waiting while the server is unreachable (a worker started before its server, as
 * under compose or systemd, should wait, not exit) with one log line per attempt. Errors that waiting cannot fix (a
 * malformed address, bad TLS files) are thrown at once. `signal` ends the wait (Ctrl-C / SIGTERM).
 */
export async function connectWhenReachable(options: NativeConnectionOptions & { address: string }, logger: Logger, signal?: AbortSignal): Promise<NativeConnection> {
  for (let attempt = 0; ; attempt++) {
    try {
      const connection = await NativeConnection.connect(options);
      if (attempt > 0) logger.info('connected to Temporal', { address: options.address });
      return connection;
    } catch (err) {
      if ((err as Error).name !== 'TransportError') throw err;
      const delayMs = connectRetryDelayMs(attempt);
      logger.warn(`waiting for Temporal at ${options.address}: ${transportReason((err as Error).message)}; retrying in ${delayMs / 1000}s (is the server up? the address comes from TEMPORAL_ADDRESS or the config's temporal.address)`);
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(new Error(`stopped while waiting for Temporal at ${options.address}`));
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, delayMs);
        if (signal?.aborted) onAbort();
        else signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  }
}
