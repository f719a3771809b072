import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { readJsonBlob, type BlobStore } from '@entra-ingest/store';
import { isDeltaSource } from '@entra-ingest/sources';
import { FAILURE_TYPES, type PageRequest, type PageResult } from '@entra-ingest/workflows';
import type { FeedRegistry } from '../feeds';
import { toActivityFailure, unknownFeed } from '../failures';
import type { IngestMetrics } from '../metrics';
import { withHeartbeat } from '../heartbeat';
import { nextLinkKey, pageKey, pageOrderKey } from '../window-layout';
import { pageLine, pagesBlob } from '../page-blobs';
import { pagesPerFetch, tenantRequestsPerSecond } from '../fetch-budget';
import { pageBeforeBlob, pageBeforeOf, pageIds, pageSpan, type PageBefore, type StoredPageBefore } from '../page-span';

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
      // Page n continues from the link page n-1 left beside itself (the first page starts the query afresh), and is
      // checked against that page's order record (none from workers of earlier versions).
      const link = p.pageIndex > 0 ? (await store.get(nextLinkKey(p, p.pageIndex - 1))).toString('utf8') : p.deltaLink;
      const order = p.pageIndex > 0 ? await readJsonBlob<StoredPageBefore>(store, pageOrderKey(p, p.pageIndex - 1)) : undefined;
      // The bodies as Graph sent them: UTF-8 bytes, outside the V8 heap, not written as JSON a second time.
      const texts: Buffer[] = [];
      const out: PageResult = { records: 0, bytes: 0, more: false, pages: 0, newestFirst: true };
      // The page before the one being read (the previous fetch's last, for this fetch's first page).
      let before: PageBefore = order ? pageBeforeOf(order) : {};
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
          // Checked against the page before, so an order break between pages shows (repeats of it left out).
          const span = pageSpan(p.source, page.records, before);
          if (!isDeltaSource(p.source)) before = { lastMs: span.lastMs, ids: pageIds(p.source, page.records) };
          if (span.oldestMs !== undefined) out.oldestMs = Math.min(out.oldestMs ?? span.oldestMs, span.oldestMs);
          out.newestFirst &&= span.newestFirst;
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
      if (last.nextLink) {
        if (!isDeltaSource(p.source)) await store.put(pageOrderKey(p, lastIndex), pageBeforeBlob(before));
        await store.put(nextLinkKey(p, lastIndex), last.nextLink);
      }
      out.pages = texts.length;
      out.more = !!last.nextLink;
      if (last.deltaLink) out.deltaLink = last.deltaLink;
      return out;
    }),
  };
}

