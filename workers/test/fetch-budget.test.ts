import type { FeedConfig } from '@entra-ingest/config';
import { pagesPerFetch, tenantRequestsPerSecond } from '../src/fetch-budget';
import { graphQueues } from '../src/worker';

const feed = (id: string, tenantId: string, requests: number, per: number): FeedConfig => ({ id, tenantId, rateLimit: { requests, per } }) as unknown as FeedConfig;

describe('pagesPerFetch', () => {
  it('reads one page per activity at Graph\'s own per-tenant limit (5 per 10 s) and below', () => {
    expect(pagesPerFetch(0.5)).toBe(1);
    expect(pagesPerFetch(0.1)).toBe(1);
    expect(pagesPerFetch(0)).toBe(1);
    expect(pagesPerFetch(Number.NaN)).toBe(1);
  });

  it('reads a fifth of the 10-second budget at once, at most ten', () => {
    expect(pagesPerFetch(1)).toBe(2);
    expect(pagesPerFetch(2.5)).toBe(5);
    expect(pagesPerFetch(100_000)).toBe(10);
  });
});

describe('the tenant queue rate with several pages per fetch', () => {
  it('keeps the tenant\'s request rate: activities per second × pages per activity', () => {
    const feeds = [feed('a', 't1', 100, 1000), feed('b', 't1', 50, 1000), feed('c', 't2', 5, 10_000)];
    expect(tenantRequestsPerSecond(feeds, 't1')).toBe(50);
    const queues = graphQueues(feeds, 'q');
    const t1 = queues.find((q) => q.tenantId === 't1')!;
    const t2 = queues.find((q) => q.tenantId === 't2')!;
    expect(t1.perSecond * pagesPerFetch(50)).toBeCloseTo(50);
    expect(t1.perSecond).toBeCloseTo(5);
    expect(t2.perSecond).toBeCloseTo(0.5);
  });
});
