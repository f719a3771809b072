import { workflowInfo } from '@temporalio/workflow';
import { FAILURE_TYPES, type FetchResult, type PageRequest, type WindowPass } from './activity-types';
import { failureType, fetchActivities } from './activity-proxies';
import { graphTaskQueue } from './ids';

/**
 * Reads every page of one window pass, on the tenant's task queue: one activity per Graph request, or per few requests
 * when the tenant's budget allows (the worker decides; the result says how many). Pages are saved by
 * the worker as claim checks, each with the link to the next; this history holds only counts. If Graph forgets the skip
 * token, the read starts over from the first page (pages are overwritten by index).
 */
export async function readAllPages(
  w: WindowPass, tenantId: string, label: string, deltaLink?: string,
  /** Asked after each fetch that left pages unread: true stops the read there (`more` stays true). */
  stopAfter?: (soFar: FetchResult) => boolean,
): Promise<FetchResult> {
  const taskQueue = graphTaskQueue(workflowInfo().taskQueue, tenantId);
  const result: FetchResult = { pages: 0, records: 0, bytes: 0, restarts: 0, newestFirst: true, more: false };
  for (;;) {
    const req: PageRequest = { ...w, pageIndex: result.pages, deltaLink: result.pages === 0 ? deltaLink : undefined };
    try {
      const page = await fetchActivities.fetchPage.executeWithOptions({ taskQueue, summary: `${label} page ${result.pages + 1}` }, [req]);
      result.pages += page.pages ?? 1;
      result.records += page.records;
      result.bytes += page.bytes;
      if (page.deltaLink) result.deltaLink = page.deltaLink;
      if (page.oldestMs !== undefined) result.oldestMs = Math.min(result.oldestMs ?? page.oldestMs, page.oldestMs);
      result.newestFirst &&= page.newestFirst === true;
      result.more = page.more;
      if (!page.more || stopAfter?.(result)) return result;
    } catch (err) {
      if (failureType(err) !== FAILURE_TYPES.restartRead || result.restarts >= 5) throw err;
      result.restarts++;
      result.pages = 0;
      result.records = 0;
      result.bytes = 0;
      result.oldestMs = undefined;
      result.newestFirst = true;
    }
  }
}
