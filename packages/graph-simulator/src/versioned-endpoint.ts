/**
 * GET for the registry's newer log sources (provisioning, Identity Protection): permission and licence from the
 * source registry, $filter on the source's time field, $top up to its largest page, pages linked by a sealed
 * $skiptoken holding the query and the offset served. Records come from versioned-logs.ts.
 */
import { SOURCE_SPECS, licenceCovers } from '@entra-ingest/sources';
import { applyRequestFaults, sendPageBody } from './faults';
import { InvalidFilter, parseFilter, type ParsedFilter } from './filter';
import { authenticate, requirePermission } from './graph-auth';
import { sendGraphError, type Ctx } from './http-util';
import { sealToken } from './jwt';
import { answeredThrottled, openPageToken, pageSizeOf } from './paging';
import type { SimulatorState } from './state';
import { currentRecords, timeFieldOf, type VersionedSource } from './versioned-logs';

interface PageToken {
  s: VersionedSource;
  t: string;
  f: string | null;
  n: number;
  o: number;
  /** "Now" of the read's first page: later pages continue the same snapshot. */
  at: number;
  iat: number;
}

export async function handleVersioned(ctx: Ctx, state: SimulatorState, source: VersionedSource): Promise<void> {
  const spec = SOURCE_SPECS[source];
  const caller = authenticate(ctx, state);
  if (!caller) return;
  if (!requirePermission(ctx, caller, spec.permissions)) return;
  if (!licenceCovers(state.licenceOf(caller.tenant), spec.licence)) {
    if (!caller.tenant.model.premium) state.countFault('unlicensed');
    return sendGraphError(ctx, 403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license");
  }
  if (spec.graph.path.startsWith('auditLogs/') && answeredThrottled(ctx, state, caller)) return;
  if (await applyRequestFaults(ctx, state)) return;
  const q = ctx.url.searchParams;
  const skiptoken = q.get('$skiptoken');
  let query: PageToken;
  if (skiptoken !== null) {
    const opened = openPageToken<PageToken>(ctx, state, caller, source, skiptoken);
    if (!opened) return;
    query = opened;
  } else {
    const top = pageSizeOf(ctx, q.get('$top'), spec.pageSize.max);
    if (top === undefined) return;
    query = { s: source, t: caller.tenant.model.tenantId, f: q.get('$filter'), n: top, o: 0, at: state.nowTicks(), iat: ctx.nowMs };
  }
  let filter: ParsedFilter;
  try {
    filter = parseFilter(query.f ?? undefined, { timeProperty: timeFieldOf(source), stringProperties: [] });
  } catch (err) {
    if (err instanceof InvalidFilter) return sendGraphError(ctx, 400, 'BadRequest', 'Invalid filter clause');
    throw err;
  }
  const t = caller.tenant;
  const all = currentRecords(t, source, filter.fromTicks, filter.toTicks, query.at, state.riskChanges);
  const items = all.slice(query.o, query.o + query.n).map((v) => v.build());
  state.stats.recordsServed += items.length;
  const more = query.o + items.length < all.length;
  const path = `${spec.graph.version}/${spec.graph.path}`;
  const nextLink = more ? `${state.url}/${path}?$skiptoken=${sealToken({ ...query, o: query.o + items.length, iat: ctx.nowMs } satisfies PageToken, state.key)}` : undefined;
  const body = `{"@odata.context":${JSON.stringify(`${state.url}/${spec.graph.version}/$metadata#${spec.graph.path.split('/').pop()}`)},${nextLink ? `"@odata.nextLink":${JSON.stringify(nextLink)},` : ''}"value":${JSON.stringify(items)}}`;
  sendPageBody(ctx, state, body);
}
