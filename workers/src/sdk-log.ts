import type { Logger as SdkLogger } from '@temporalio/worker';
import type { Logger } from '@entra-ingest/config';

/** Said by design of our layout (the Graph queue's worker runs activities only), so not worth a warning. */
const EXPECTED = [/^No workflows registered, not polling/, /^No Nexus services registered/];

/**
 * The Temporal SDK's logs in ours. The SDK reports every workflow bundle at info as one multi-hundred-line webpack
 * summary; that report is for debugging the bundle, so multi-line info messages go to debug, as do notices that our
 * worker layout makes expected.
 */
export function sdkLogger(logger: Logger): SdkLogger {
  const quiet = (message: string): boolean => message.includes('\n') || EXPECTED.some((re) => re.test(message));
  const info = (message: string, meta?: Record<string, unknown>): void => (quiet(message) ? logger.debug(message, meta) : logger.info(message, meta));
  const warn = (message: string, meta?: Record<string, unknown>): void => (quiet(message) ? logger.debug(message, meta) : logger.warn(message, meta));
  return {
    log: (level, message, meta) => (level === 'ERROR' ? logger.error(message, meta) : level === 'WARN' ? warn(message, meta) : level === 'INFO' ? info(message, meta) : logger.debug(message, meta)),
    trace: (m, meta) => logger.debug(m, meta),
    debug: (m, meta) => logger.debug(m, meta),
    info,
    warn,
    error: (m, meta) => logger.error(m, meta),
  };
}
