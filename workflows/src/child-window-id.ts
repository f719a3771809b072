import { patched } from '@temporalio/workflow';
import { windowWorkflowId } from './ids';
import { compactTime } from './windows';

/**
 * The id a starter (schedule run, backfill) gives a window child. Window ids gained their end (windows of different
 * sizes may overlap); a run that started children under the start-only ids before that change keeps them on replay.
 */
export function childWindowId(feed: string, source: string, windowStart: string, windowEnd: string): string {
  return patched('window-id-start-end') ? windowWorkflowId(feed, source, windowStart, windowEnd) : `ingest/${feed}/${source}/${compactTime(windowStart)}`;
}
