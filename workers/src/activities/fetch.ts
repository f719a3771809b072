import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { BlobStore } from '@entra-ingest/store';
import { recordId } from '@entra-ingest/ocsf';
import { isDeltaSource } from '@entra-ingest/sources';
import { FAILURE_TYPES, type PageRequest, type PageResult, type SourceName } from '@entra-ingest/workflows';
import type { FeedRegistry } from '../feeds';
import { toActivityFailure, unknownFeed } from '../failures';
import type { IngestMetrics } from '../metrics';
import { withHeartbeat } from '../heartbeat';
import { nextLinkKey, pageKey } from '../window-layout';
import { pageLine, pagesBlob } from '../page-blobs';
import { pagesPerFetch, tenantRequestsPerSecond } from '../fetch-budget';
import { pageSpan } from '../page-span';

interface PageLike {
  records: unknown[];
  nextLink?: string;
  deltaLink?: string;
  bytes: number;
  body: Buffer;
}

/**
 * Graph requests on the tenant's task queue: one activity reads the page a link points at (or a read's first page)
 * and, when the tenant's budget allows (fetch-budget.ts), the pages after it, saved as one claim check under the
 * first page's index with the last page's link beside it. The queue starts these activities no faster than the
 * tenant's limit allows for that many pages, whichever worker runs them. A retry re-reads from the same link and
 * overwrites the same blob.
 */
export function fetchActivities(feeds: FeedRegistry, store: BlobStore, metrics: IngestMetrics) {
  const budget = new Map<string, number>();
  const pagesFor = (tenantId: string): number => {
    let k = budget.get(tenantId);
    if (k === undefined) budget.set(tenantId, (k = pagesPerFetch(tenantRequestsPerSecond(feeds.ids().map((id) => feeds.get(id)!.config), tenantId))));
    return k;
  };
  return {
    fetchPage: (p: PageRequest): Promise<PageResult> => withHeartbeat(async () => {
      const feed = feeds.get(p.feed);
      if (!feed) throw unknownFeed(p.feed, feeds.ids());
      const ctx = Context.current();
      const signal = ctx.cancellationSignal;
      const most = pagesFor(feed.config.tenantId);
      // Page n continues from the link page n-1 left beside itself (the first page starts the query afresh).
      const link = p.pageIndex > 0 ? (await store.get(nextLinkKey(p, p.pageIndex - 1))).toString('utf8') : p.deltaLink;
      // The bodies as Graph sent them: UTF-8 bytes, outside the V8 heap, not written as JSON a second time.
      const texts: Buffer[] = [];
      const out: PageResult = { records: 0, bytes: 0, more: false, pages: 0, newestFirst: true };
      let previous: unknown;
      let previousIds: Set<string> | undefined;
      let last: PageLike | undefined;
      try {
        const graph = feed.graph();
        const beta = p.source === 'signIns' ? feed.config.sources.signIns?.beta ?? false : false;
        const pages: AsyncGenerator<PageLike> = isDeltaSource(p.source)
          ? graph.deltaPages(p.source, { deltaLink: link, signal })
          : graph.windowPages({ source: p.source, from: p.windowStart, to: p.windowEnd, beta }, { signal, resumeFrom: link });
        for await (const page of pages) {
          texts.push(pageLine(page.body));
          metrics.fetched.inc({ feed: p.feed, source: p.source }, page.records.length);
          // The span across pages: the previous page's last record first, so an order break between pages shows;
          // records the previous page held as well are left out of it.
          const span = pageSpan(p.source, page.records, { previous, repeats: previousIds });
          if (page.nextLink && !isDeltaSource(p.source)) previousIds = idsOf(p.source, page.records);
          if (span.oldestMs !== undefined) out.oldestMs = Math.min(out.oldestMs ?? span.oldestMs, span.oldestMs);
          out.newestFirst &&= span.newestFirst;
          previous = page.records.length ? page.records[page.records.length - 1] : previous;
          out.records += page.records.length;
          out.bytes += page.bytes;
          last = page;
          ctx.heartbeat({ page: p.pageIndex + texts.length - 1 });
          if (!page.nextLink || texts.length >= most) break;
        }
      } catch (err) {
        // Pages already read are kept: the failing page's link is the last one kept, so the next fetch starts there
        // and the retries are that page's alone (a failure never costs the pages before it).
        const keepRead = texts.length > 0 && !signal.aborted;
        if (!keepRead) {
          if ((err as { kind?: string }).kind === 'skiptoken-invalid' && p.pageIndex > 0) {
            throw ApplicationFailure.create({ type: FAILURE_TYPES.restartRead, nonRetryable: true, message: `Graph no longer accepts the skip token of page ${p.pageIndex + 1}; reading the window again` });
          }
          throw toActivityFailure(err);
        }
      }
      if (!last) throw new Error('Graph returned no page');
      await store.put(pageKey(p, p.pageIndex), pagesBlob(texts));
      const lastIndex = p.pageIndex + texts.length - 1;
      if (last.nextLink) await store.put(nextLinkKey(p, lastIndex), last.nextLink);
      out.pages = texts.length;
      out.more = !!last.nextLink;
      if (last.deltaLink) out.deltaLink = last.deltaLink;
      return out;
    }),
  };
}

function idsOf(source: SourceName, records: readonly unknown[]): Set<string> {
  const ids = new Set<string>();
  for (const r of records) {
    const id = recordId(source, r);
    if (id !== undefined) ids.add(id);
  }
  return ids;
}
