import type { FeedConfig } from '@entra-ingest/config';

/** More pages per fetch activity save little once a fetch is a few seconds of Graph's time. */
const MAX_PAGES_PER_FETCH = 10;

/** A tenant's request budget: the strictest rate (requests per second) configured for any of its feeds. */
export function tenantRequestsPerSecond(feeds: readonly FeedConfig[], tenantId: string): number {
  let perSecond = Number.POSITIVE_INFINITY;
  for (const f of feeds) if (f.tenantId === tenantId) perSecond = Math.min(perSecond, f.rateLimit.requests / (f.rateLimit.per / 1000));
  return perSecond;
}

/**
 * Pages one fetch activity reads, from the tenant's request budget. The tenant's Graph task queue hands out fetch
 * activities at its rate; an activity reading k pages makes k requests, so the queue runs at the request rate ÷ k
 * (graphQueues) and the request rate stays the tenant's. k is at most a fifth of what the tenant may send in 10 s
 * (Graph counts over 10 s), so a fetch's burst stays well inside the limit: at Graph's own per-tenant limit (5 per
 * 10 s) one page per activity; with a budget of hundreds of requests a second (throttling off), ten.
 */
export function pagesPerFetch(requestsPerSecond: number): number {
  if (!(requestsPerSecond > 0)) return 1;
  return Math.max(1, Math.min(MAX_PAGES_PER_FETCH, Math.floor((requestsPerSecond * 10) / 5)));
}
