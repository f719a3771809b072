import { continueAsNew, patched, setCurrentDetails, upsertMemo, workflowInfo } from '@temporalio/workflow';
import { FAILURE_TYPES, type DeltaSourceName, type WindowPass } from './activity-types';
import { deliverActivities, failureType, mapActivities, tokenActivities } from './activity-proxies';
import { readAllPages } from './read-pages';
import { DEFAULT_PACING, type RetryPacing, type StepStatus, untilDone } from './resilient';

export interface UsersSyncInput {
  feed: string;
  /** The delta inventory to synchronise (default users; schedules made before devices existed pass none). */
  source?: DeltaSourceName;
  pacing?: RetryPacing;
  /** The round a blocked run handed over when it continued as new (its history stays bounded). */
  resume?: UsersSyncRound;
}

/** What one round needs to finish in a later run: the same round key keeps its claims in the record index. */
export interface UsersSyncRound {
  round: number;
  roundKey: string;
  deltaLink?: string;
  fullResync: boolean;
  /** Failed attempts of this round in earlier runs. */
  attemptsBefore: number;
}

export interface UsersSyncResult {
  /** Handed by Temporal to the next scheduled run (its last completion result): where users/delta continues. */
  deltaLink?: string;
  round: number;
  delivered: number;
  fullResync: boolean;
}

/**
 * One round of a delta inventory (users, devices): <source>/delta from the previous round's delta link (a full read
 * the first time or after Graph forgot the sync state), each new, changed or deleted object delivered as one
 * inventory event. The name stays `usersSync` because existing schedules start it by that name.
 * A round blocked for long (expired secret) continues as new inside its retry loop, like a window: the history stays
 * bounded, the round keeps its key and delta link, and the token probes are the feed's (one per feed and interval).
 */
export async function usersSync(input: UsersSyncInput): Promise<UsersSyncResult> {
  const previous = workflowInfo().lastResult as UsersSyncResult | undefined;
  const resume = input.resume;
  const round = resume?.round ?? (previous?.round ?? 0) + 1;
  const roundKey = resume?.roundKey ?? new Date(Date.now()).toISOString();
  let deltaLink = resume ? resume.deltaLink : previous?.deltaLink;
  let fullResync = resume?.fullResync ?? !deltaLink;
  const step: StepStatus = { status: 'running', attempts: resume?.attemptsBefore ?? 0 };
  const source = input.source ?? 'users';
  const w: WindowPass = { feed: input.feed, source, windowStart: roundKey, windowEnd: roundKey, pass: 0 };
  const result = await untilDone(async () => {
    const { tenantId } = await tokenActivities.describeFeed(input.feed);
    await tokenActivities.refreshToken(input.feed);
    let fetched;
    try {
      fetched = await readAllPages(w, tenantId, fullResync ? `${source}/delta full read` : `${source}/delta changes`, deltaLink);
    } catch (err) {
      if (failureType(err) !== FAILURE_TYPES.syncStateNotFound) throw err;
      // Graph no longer knows our delta token: read everything again (the manifest is per round, so a full
      // resync re-delivers every user once, as a fresh inventory snapshot).
      deltaLink = undefined;
      fullResync = true;
      fetched = await readAllPages(w, tenantId, `${source}/delta full resync`);
    }
    // One activity maps and delivers, as for windows (no event parts written in between); rounds begun before keep two.
    if (patched('users-map-and-deliver')) {
      const delivered = await deliverActivities.mapAndDeliverWindow.executeWithOptions(
        { summary: `map and deliver ${fetched.records} ${source}` }, [{ ...w, pages: fetched.pages }]);
      return { fetched, delivered };
    }
    const mapped = await mapActivities.mapWindow.executeWithOptions({ summary: `map ${fetched.records} ${source}` }, [{ ...w, pages: fetched.pages }]);
    const delivered = await deliverActivities.deliverWindow.executeWithOptions({ summary: `deliver ${mapped.newRecords} ${source} events` }, [w]);
    return { fetched, delivered };
  }, step, input.pacing ?? DEFAULT_PACING, () => continueAsNew<typeof usersSync>({
    ...input, resume: { round, roundKey, ...(deltaLink === undefined ? {} : { deltaLink }), fullResync, attemptsBefore: step.attempts },
  }));
  const out: UsersSyncResult = { deltaLink: result.fetched.deltaLink, round, delivered: result.delivered.delivered, fullResync };
  upsertMemo({ round, delivered: out.delivered, fullResync });
  setCurrentDetails(`round ${round}: ${result.fetched.records} ${source} records, ${out.delivered} events delivered${fullResync ? ' (full read)' : ''}`);
  return out;
}
