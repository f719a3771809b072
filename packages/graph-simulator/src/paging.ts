/**
 * The request checks every paged log endpoint shares: the tenant's report budget, the sealed `$skiptoken` of a next
 * page and `$top`. Each answers the error itself, as Graph words it, and says whether the request may go on.
 */
import type { Caller } from './graph-auth';
import { sendGraphError, sendThrottled, type Ctx } from './http-util';
import { openToken } from './jwt';
import type { SimulatorState } from './state';

/** True after answering 429 when the caller's app has spent its budget for the tenant. */
export function answeredThrottled(ctx: Ctx, state: SimulatorState, caller: Caller): boolean {
  if (!state.throttle) return false;
  const wait = state.throttle.admit(caller.appId, caller.tenant.model.tenantId, ctx.nowMs);
  if (wait <= 0) return false;
  state.stats.throttled++;
  sendThrottled(ctx, wait);
  return true;
}

/** The query a next-page token holds, or undefined after answering 400 when it is foreign, for another source or expired. */
export function openPageToken<T extends { s: string; t: string; iat: number }>(ctx: Ctx, state: SimulatorState, caller: Caller, source: string, skiptoken: string): T | undefined {
  const opened = openToken<T>(skiptoken, state.key);
  if (!opened || opened.s !== source || opened.t !== caller.tenant.model.tenantId || opened.iat + state.skiptokenTtlMs < ctx.nowMs) {
    sendGraphError(ctx, 400, 'BadRequest', 'Invalid Skip Token');
    return undefined;
  }
  return opened;
}

/** `$top` (absent: `max`), or undefined after answering 400 when it is not a whole number from 1 to `max`. */
export function pageSizeOf(ctx: Ctx, topText: string | null, max: number): number | undefined {
  const top = topText === null ? max : Number(topText);
  if (!Number.isInteger(top) || top < 1) {
    sendGraphError(ctx, 400, 'BadRequest', `Invalid value '${topText}' for $top: it must be a positive integer.`);
    return undefined;
  }
  if (top > max) {
    sendGraphError(ctx, 400, 'BadRequest', `The limit of '${max}' for Top query has been exceeded. The value from the incoming request is '${top}'.`);
    return undefined;
  }
  return top;
}
