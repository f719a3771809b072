import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { FAILURE_TYPES, type FeedSettings, type TokenInfo } from '@entra-ingest/workflows';
import type { FeedRegistry } from '../feeds';
import { FeedHealth } from '../feed-health';
import { toActivityFailure, unknownFeed } from '../failures';

const blocksFeed = (err: unknown): boolean => err instanceof ApplicationFailure && err.type === FAILURE_TYPES.configuration;

export function tokenActivities(feeds: FeedRegistry, health = new FeedHealth()) {
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
     * While the feed is blocked, the windows' retries get the last answer; one probe per feed and interval asks.
     */
    async refreshToken(feed: string): Promise<TokenInfo> {
      const runtime = feedOf(feed);
      let credential: string;
      try {
        credential = runtime.credentialFingerprint();
      } catch (err) {
        throw toActivityFailure(err);
      }
      return health.check(feed, credential, async () => {
        try {
          const { expiresOn } = await runtime.tokenProvider().getToken({ signal: Context.current().cancellationSignal });
          return { expiresOn: expiresOn.toISOString() };
        } catch (err) {
          throw toActivityFailure(err);
        }
      }, blocksFeed);
    },
  };
}
