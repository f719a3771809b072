import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { BlobStore } from '@entra-ingest/store';
import { isDeltaSource } from '@entra-ingest/sources';
import { FAILURE_TYPES, type PageRequest, type PageResult } from '@entra-ingest/workflows';
import type { FeedRegistry } from '../feeds';
import { toActivityFailure, unknownFeed } from '../failures';
import type { IngestMetrics } from '../metrics';
import { withHeartbeat } from '../heartbeat';
import { nextLinkKey, pageKey } from '../window-layout';
import { pageJson } from '../unstorable';
import { pageSpan } from '../page-span';

interface PageLike {
  records: unknown[];
  nextLink?: string;
  deltaLink?: string;
  bytes: number;
}

async function firstOf(pages: AsyncGenerator<PageLike>): Promise<PageLike> {
  try {
    const next = await pages.next();
    if (next.done) throw new Error('Graph returned no page');
    return next.value;
  } finally {
    await pages.return(undefined);
  }
}

/**
 * One Graph request per activity: the page a link points at (or a read's first page), saved as a claim check under
 * its index. Running on the tenant's task queue, these activities are started no faster than Graph's per-tenant limit,
 * whichever worker runs them. A retry re-reads the same link and overwrites the same blob.
 */
export function fetchActivities(feeds: FeedRegistry, store: BlobStore, metrics: IngestMetrics) {
  return {
    fetchPage: (p: PageRequest): Promise<PageResult> => withHeartbeat(async () => {
      const feed = feeds.get(p.feed);
      if (!feed) throw unknownFeed(p.feed, feeds.ids());
      const signal = Context.current().cancellationSignal;
      // Page n continues from the link page n-1 left beside itself (the first page starts the query afresh).
      const link = p.pageIndex > 0 ? (await store.get(nextLinkKey(p, p.pageIndex - 1))).toString('utf8') : p.deltaLink;
      let page: PageLike;
      try {
        const graph = feed.graph();
        if (isDeltaSource(p.source)) {
          page = await firstOf(graph.deltaPages(p.source, { deltaLink: link, signal }));
        } else {
          const beta = p.source === 'signIns' ? feed.config.sources.signIns?.beta ?? false : false;
          page = await firstOf(graph.windowPages({ source: p.source, from: p.windowStart, to: p.windowEnd, beta }, { signal, resumeFrom: link }));
        }
      } catch (err) {
        if ((err as { kind?: string }).kind === 'skiptoken-invalid' && p.pageIndex > 0) {
          throw ApplicationFailure.create({ type: FAILURE_TYPES.restartRead, nonRetryable: true, message: `Graph no longer accepts the skip token of page ${p.pageIndex + 1}; reading the window again` });
        }
        throw toActivityFailure(err);
      }
      await store.put(pageKey(p, p.pageIndex), pageJson(page.records));
      metrics.fetched.inc({ feed: p.feed, source: p.source }, page.records.length);
      if (page.nextLink) await store.put(nextLinkKey(p, p.pageIndex), page.nextLink);
      return { records: page.records.length, bytes: page.bytes, more: !!page.nextLink, deltaLink: page.deltaLink, ...pageSpan(p.source, page.records) };
    }),
  };
}
