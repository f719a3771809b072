import { Context } from '@temporalio/activity';
import type { BlobStore } from '@entra-ingest/store';
import type { FetchResult, WindowPass } from '@entra-ingest/workflows';
import type { FeedRegistry } from '../feeds';
import { toActivityFailure, unknownFeed } from '../failures';
import type { IngestMetrics } from '../metrics';
import { pageCountKey, pageKey, pagesPrefix } from '../window-layout';

/** What a fetch attempt leaves in its heartbeat so the next attempt can go on from the last saved page. */
interface FetchCheckpoint {
  nextLink?: string;
  pages: number;
  records: number;
  bytes: number;
}

interface PageLike {
  records: unknown[];
  nextLink?: string;
  deltaLink?: string;
  bytes: number;
}

/**
 * Saves every page of a Graph read as a claim check and heartbeats after each, with the nextLink as the checkpoint.
 * A retried attempt resumes from that nextLink; if Graph has forgotten the skip token the window is read again from
 * its start (pages are overwritten by index, so nothing is counted twice).
 */
async function savePages(
  store: BlobStore, w: WindowPass, read: (resumeFrom?: string) => AsyncIterable<PageLike>, metrics: IngestMetrics,
): Promise<FetchResult> {
  const ctx = Context.current();
  const checkpoint = ctx.info.heartbeatDetails as FetchCheckpoint | undefined;
  let state: FetchCheckpoint = checkpoint?.nextLink ? checkpoint : { pages: 0, records: 0, bytes: 0 };
  if (!checkpoint?.nextLink) await store.deletePrefix(pagesPrefix(w));
  let throttledMs = 0;
  let deltaLink: string | undefined;
  const run = async (resumeFrom?: string): Promise<void> => {
    for await (const page of read(resumeFrom)) {
      await store.put(pageKey(w, state.pages), JSON.stringify(page.records));
      state = { nextLink: page.nextLink, pages: state.pages + 1, records: state.records + page.records.length, bytes: state.bytes + page.bytes };
      if (page.deltaLink) deltaLink = page.deltaLink;
      metrics.fetched.inc({ feed: w.feed, source: w.source }, page.records.length);
      ctx.heartbeat(state);
    }
  };
  try {
    try {
      await run(state.nextLink);
    } catch (err) {
      if ((err as { kind?: string }).kind !== 'skiptoken-invalid' || !state.nextLink) throw err;
      state = { pages: 0, records: 0, bytes: 0 };
      await store.deletePrefix(pagesPrefix(w));
      await run(undefined);
    }
  } catch (err) {
    throw toActivityFailure(err);
  }
  await store.put(pageCountKey(w), JSON.stringify({ pages: state.pages, records: state.records }));
  return { pages: state.pages, records: state.records, bytes: state.bytes, throttledMs, retries: ctx.info.attempt - 1, deltaLink };
}

export function fetchActivities(feeds: FeedRegistry, store: BlobStore, metrics: IngestMetrics) {
  const feedOf = (id: string) => {
    const feed = feeds.get(id);
    if (!feed) throw unknownFeed(id, feeds.ids());
    return feed;
  };
  return {
    async fetchWindow(w: WindowPass): Promise<FetchResult> {
      const feed = feedOf(w.feed);
      if (w.source === 'users') throw new Error('fetchWindow reads time windows; users come from fetchUsersDelta');
      const signal = Context.current().cancellationSignal;
      const source = w.source;
      const beta = source === 'signIns' ? feed.config.sources.signIns?.beta ?? false : false;
      let graph;
      try {
        graph = feed.graph();
      } catch (err) {
        throw toActivityFailure(err);
      }
      return savePages(store, w, (resumeFrom) => graph.windowPages({ source, from: w.windowStart, to: w.windowEnd, beta }, { signal, resumeFrom }), metrics);
    },

    async fetchUsersDelta(input: { feed: string; round: number; deltaLink?: string; windowStart: string }): Promise<FetchResult> {
      const feed = feedOf(input.feed);
      const w: WindowPass = { feed: input.feed, source: 'users', windowStart: input.windowStart, windowEnd: input.windowStart, pass: 0 };
      const signal = Context.current().cancellationSignal;
      let graph;
      try {
        graph = feed.graph();
      } catch (err) {
        throw toActivityFailure(err);
      }
      // users/delta pages continue from a nextLink like any other; the first page starts at the last deltaLink.
      return savePages(store, w, (resumeFrom) => graph.deltaPages('users', { deltaLink: resumeFrom ?? input.deltaLink, signal }), metrics);
    },
  };
}
