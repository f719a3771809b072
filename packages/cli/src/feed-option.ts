import { type AppConfig, ConfigError, type FeedConfig, findFeed } from '@entra-ingest/config';
import { UsageError } from './errors';

/** The feed named by --feed; a missing option or an unknown feed is a usage error (exit 2) listing the feeds. */
export function feedOption(config: AppConfig, id: string | undefined, command: string): FeedConfig {
  if (!id) throw new UsageError(`${command} needs --feed (configured feeds: ${config.feeds.map((f) => f.id).join(', ')})`);
  try {
    return findFeed(config, id);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}
