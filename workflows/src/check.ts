import type { CheckReport } from './activity-types';
import { adminActivities } from './activity-proxies';

/** The onboarding check as a workflow, so it runs on the worker that holds the feed's secret, like ingestion. */
export async function checkFeed(feed: string): Promise<CheckReport> {
  return adminActivities.checkFeed.executeWithOptions({ summary: `check feed ${feed}`, retry: { maximumAttempts: 1 } }, [feed]);
}
