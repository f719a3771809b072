import { setCurrentDetails, upsertMemo, workflowInfo } from '@temporalio/workflow';
import { FAILURE_TYPES, type WindowPass } from './activity-types';
import { deliverActivities, failureType, mapActivities, tokenActivities } from './activity-proxies';
import { readAllPages } from './read-pages';
import { DEFAULT_PACING, type RetryPacing, type StepStatus, untilDone } from './resilient';

export interface UsersSyncInput {
  feed: string;
  pacing?: RetryPacing;
}

export interface UsersSyncResult {
  /** Handed by Temporal to the next scheduled run (its last completion result): where users/delta continues. */
  deltaLink?: string;
  round: number;
  delivered: number;
  fullResync: boolean;
}

/**
 * One round of user inventory: users/delta from the previous round's delta link (a full read the first time or
 * after Graph forgot the sync state), each new, changed or deleted user delivered as a User Inventory Info event.
 */
export async function usersSync(input: UsersSyncInput): Promise<UsersSyncResult> {
  const previous = workflowInfo().lastResult as UsersSyncResult | undefined;
  const round = (previous?.round ?? 0) + 1;
  const roundKey = new Date(Date.now()).toISOString();
  let deltaLink = previous?.deltaLink;
  let fullResync = !deltaLink;
  const step: StepStatus = { status: 'running', attempts: 0 };
  const w: WindowPass = { feed: input.feed, source: 'users', windowStart: roundKey, windowEnd: roundKey, pass: 0 };
  const result = await untilDone(async () => {
    const { tenantId } = await tokenActivities.describeFeed(input.feed);
    await tokenActivities.refreshToken(input.feed);
    let fetched;
    try {
      fetched = await readAllPages(w, tenantId, fullResync ? 'users/delta full read' : 'users/delta changes', deltaLink);
    } catch (err) {
      if (failureType(err) !== FAILURE_TYPES.syncStateNotFound) throw err;
      // Graph no longer knows our delta token: read everything again (the manifest is per round, so a full
      // resync re-delivers every user once, as a fresh inventory snapshot).
      deltaLink = undefined;
      fullResync = true;
      fetched = await readAllPages(w, tenantId, 'users/delta full resync');
    }
    const mapped = await mapActivities.mapWindow.executeWithOptions({ summary: `map ${fetched.records} users` }, [{ ...w, pages: fetched.pages }]);
    const delivered = await deliverActivities.deliverWindow.executeWithOptions({ summary: `deliver ${mapped.newRecords} user events` }, [w]);
    return { fetched, delivered };
  }, step, input.pacing ?? DEFAULT_PACING);
  const out: UsersSyncResult = { deltaLink: result.fetched.deltaLink, round, delivered: result.delivered.delivered, fullResync };
  upsertMemo({ round, delivered: out.delivered, fullResync });
  setCurrentDetails(`round ${round}: ${result.fetched.records} user records, ${out.delivered} events delivered${fullResync ? ' (full read)' : ''}`);
  return out;
}
