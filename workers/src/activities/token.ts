import { Context } from '@temporalio/activity';
import type { FeedSettings, TokenInfo } from '@entra-ingest/workflows';
import type { FeedRegistry } from '../feeds';
import { toActivityFailure, unknownFeed } from '../failures';

export function tokenActivities(feeds: FeedRegistry) {
  const feedOf = (id: string) => {
    const feed = feeds.get(id);
    if (!feed) throw unknownFeed(id, feeds.ids());
    return feed;
  };
  return {
    /** The feed's settings from the worker's config: workflows never see the config file or a secret. */
    async describeFeed(feed: string): Promise<FeedSettings> {
      return feedOf(feed).settings();
    },

    /**
     * Makes sure the worker's token cache holds a valid token for the feed and returns only its expiry: the token
     * itself never leaves this process. Auth configuration errors say what to fix and are not retried by Temporal.
     */
    async refreshToken(feed: string): Promise<TokenInfo> {
      const runtime = feedOf(feed);
      try {
        const { expiresOn } = await runtime.tokenProvider().getToken({ signal: Context.current().cancellationSignal });
        return { expiresOn: expiresOn.toISOString() };
      } catch (err) {
        throw toActivityFailure(err);
      }
    },
  };
}
