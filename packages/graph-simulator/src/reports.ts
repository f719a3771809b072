/**
 * The activity reports: GET /v1.0/auditLogs/directoryAudits and /v1.0/auditLogs/signIns. Records come lazily
 * from the tenant's event stream, filtered by time and the few string properties Graph supports, and only
 * once visible. Pages link on with an HMAC-sealed $skiptoken holding the query and the last position served.
 */
import { activityOf, auditIdOf, buildAudit } from './audits';
import type { EventStream, Order, StreamEvent } from './event-stream';
import { applyRequestFaults, sendPageBody } from './faults';
import { InvalidFilter, parseFilter, type ParsedFilter } from './filter';
import { authenticate, requirePermission } from './graph-auth';
import { sendGraphError, type Ctx } from './http-util';
import { sealToken } from './jwt';
import { answeredThrottled, openPageToken, pageSizeOf } from './paging';
import { SIGN_IN_APPS } from './names';
import { mix32 } from './prng';
import { buildSignIn, signInIdOf, signInKeys } from './signins';
import { RETENTION_DAYS, type SimulatorState, type TenantRuntime } from './state';
import { TICKS_PER_MS } from './time';

export type ReportSource = 'directoryAudits' | 'signIns';

interface ReportAdapter {
  timeProperty: string;
  stringProperties: readonly string[];
  stream(t: TenantRuntime): EventStream;
  field(e: StreamEvent, t: TenantRuntime, name: string): string;
  build(e: StreamEvent, t: TenantRuntime): Record<string, unknown>;
  idOf(e: StreamEvent, t: TenantRuntime): string;
}

export const REPORTS: Record<ReportSource, ReportAdapter> = {
  directoryAudits: {
    timeProperty: 'activityDateTime',
    stringProperties: ['activityDisplayName', 'category', 'loggedByService'],
    stream: (t) => t.audits,
    field: (e, _t, name) => String((activityOf(e) as unknown as Record<string, unknown>)[name]),
    build: (e, t) => buildAudit(e, t.model),
    idOf: (e, t) => auditIdOf(e, t.model).id,
  },
  signIns: {
    timeProperty: 'createdDateTime',
    stringProperties: ['userPrincipalName', 'userId', 'userDisplayName', 'appId', 'appDisplayName'],
    stream: (t) => t.signIns,
    field: (e, t, name) => {
      const { userIndex, appIndex } = signInKeys(e, t.model);
      const user = t.model.users[userIndex];
      const app = SIGN_IN_APPS[appIndex];
      const values: Record<string, string> = { userPrincipalName: user.userPrincipalName.toLowerCase(), userId: user.id, userDisplayName: user.displayName, appId: app.appId, appDisplayName: app.displayName };
      return values[name];
    },
    build: (e, t) => buildSignIn(e, t.model),
    idOf: (e) => signInIdOf(e),
  },
};

/** Graph's largest page of sign-ins and audits, also its default. */
const MAX_TOP = 1000;

interface PageToken {
  s: ReportSource;
  t: string;
  f: string | null;
  o: Order;
  n: number;
  sel: string | null;
  b: number;
  i: number;
  iat: number;
}

const SKIP_NOT_ALLOWED =
  "The query specified in the URI is not valid. Query option 'Skip' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.";

export async function handleReport(ctx: Ctx, state: SimulatorState, source: ReportSource): Promise<void> {
  const caller = authenticate(ctx, state);
  if (!caller) return;
  if (!requirePermission(ctx, caller, ['AuditLog.Read.All'])) return;
  if (!state.isLicensed(caller.tenant)) {
    if (!caller.tenant.model.premium) state.countFault('unlicensed');
    return sendGraphError(ctx, 403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license");
  }
  if (answeredThrottled(ctx, state, caller)) return;
  if (await applyRequestFaults(ctx, state)) return;
  ctx.nowMs = state.clock(); // a slow-response fault may have waited

  const q = ctx.url.searchParams;
  if (q.has('$skip')) return sendGraphError(ctx, 400, 'BadRequest', SKIP_NOT_ALLOWED);
  const skiptoken = q.get('$skiptoken');
  if (skiptoken !== null && state.roll('revokeTokenMidPagination')) {
    state.revokedTokens.add(caller.uti);
    return sendGraphError(ctx, 401, 'InvalidAuthenticationToken', 'Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp');
  }

  let query: PageToken;
  if (skiptoken !== null) {
    const opened = openPageToken<PageToken>(ctx, state, caller, source, skiptoken);
    if (!opened) return;
    query = opened;
  } else {
    const adapter = REPORTS[source];
    const orderBy = (q.get('$orderby') ?? '').trim();
    const orderMatch = orderBy === '' ? null : new RegExp(`^${adapter.timeProperty}(\\s+(asc|desc))?$`, 'i').exec(orderBy);
    if (orderBy !== '' && !orderMatch) return sendGraphError(ctx, 400, 'BadRequest', `Invalid $orderby: only ${adapter.timeProperty} asc or desc is supported.`);
    const top = pageSizeOf(ctx, q.get('$top'), MAX_TOP);
    if (top === undefined) return;
    const order: Order = orderMatch?.[2]?.toLowerCase() === 'asc' ? 'asc' : 'desc';
    query = { s: source, t: caller.tenant.model.tenantId, f: q.get('$filter'), o: order, n: top, sel: q.get('$select'), b: NaN, i: NaN, iat: 0 };
  }

  const adapter = REPORTS[source];
  let filter: ParsedFilter;
  try {
    filter = parseFilter(query.f ?? undefined, { timeProperty: adapter.timeProperty, stringProperties: adapter.stringProperties });
  } catch (err) {
    if (err instanceof InvalidFilter) return sendGraphError(ctx, 400, 'BadRequest', 'Invalid filter clause');
    throw err;
  }
  const nowTicks = state.nowTicks();
  const retentionStart = nowTicks - RETENTION_DAYS * 86_400_000 * TICKS_PER_MS;
  if (filter.fromTicks !== -Infinity && filter.fromTicks < retentionStart - 3_600_000 * TICKS_PER_MS) {
    return sendGraphError(ctx, 400, 'BadRequest', `Invalid filter clause: ${adapter.timeProperty} is older than the ${RETENTION_DAYS}-day retention of this report.`);
  }
  const select = query.sel ? query.sel.split(',').map((s) => s.trim()).filter(Boolean) : null;

  const page = collectPage(state, caller.tenant, adapter, filter, query, nowTicks);
  const items = page.events.map((e) => project(adapter.build(e, caller.tenant), select));
  state.stats.recordsServed += items.length;

  let nextLink: string | undefined;
  if (page.more && page.events.length > 0) {
    let resumeAfter = page.events[page.events.length - 1];
    if (page.events.length > 1 && state.roll('duplicateAcrossPages')) {
      resumeAfter = page.events[Math.max(0, page.events.length - 1 - (1 + Math.floor(state.faultRng.float() * Math.min(5, page.events.length - 1))))];
    }
    const token = sealToken({ ...query, b: resumeAfter.bucket, i: resumeAfter.index, iat: ctx.nowMs } satisfies PageToken, state.key);
    const host = state.roll('foreignNextLink') ? 'https://graph.attacker.invalid' : state.url;
    nextLink = `${host}/v1.0/auditLogs/${source}?${linkParams(query)}$skiptoken=${token}`;
  }
  const contextSuffix = select ? `(${select.join(',')})` : '';
  const body = `{"@odata.context":${JSON.stringify(`${state.url}/v1.0/$metadata#auditLogs/${source}${contextSuffix}`)},${nextLink ? `"@odata.nextLink":${JSON.stringify(nextLink)},` : ''}"value":${JSON.stringify(items)}}`;
  sendPageBody(ctx, state, body);
}

function linkParams(q: PageToken): string {
  const parts: string[] = [];
  if (q.f) parts.push(`$filter=${encodeURIComponent(q.f)}`);
  if (q.sel) parts.push(`$select=${encodeURIComponent(q.sel)}`);
  parts.push(`$top=${q.n}`);
  return parts.map((p) => `${p}&`).join('');
}

function project(record: Record<string, unknown>, select: string[] | null): Record<string, unknown> {
  if (!select) return record;
  const out: Record<string, unknown> = { id: record.id };
  for (const k of select) if (k in record) out[k] = record[k];
  return out;
}

function matches(e: StreamEvent, t: TenantRuntime, adapter: ReportAdapter, filter: ParsedFilter): boolean {
  for (const [name, value] of Object.entries(filter.equals)) if (adapter.field(e, t, name).toLowerCase() !== value.toLowerCase()) return false;
  for (const [name, prefix] of Object.entries(filter.startsWith)) if (!adapter.field(e, t, name).toLowerCase().startsWith(prefix.toLowerCase())) return false;
  return true;
}

/** Events of the next page (visible now, in order), and whether more follow. */
function collectPage(state: SimulatorState, t: TenantRuntime, adapter: ReportAdapter, filter: ParsedFilter, q: PageToken, nowTicks: number): { events: StreamEvent[]; more: boolean } {
  const after = Number.isFinite(q.b) ? { bucket: q.b, index: q.i } : undefined;
  // Graph's pages are not always full: shave a few records off some pages, deterministically per position.
  const shave = q.n >= 50 ? mix32(t.model.salt ^ ((q.b | 0) * 31 + (q.i | 0))) % Math.floor(q.n / 50) : 0;
  const size = q.n - shave;
  const events: StreamEvent[] = [];
  for (const e of adapter.stream(t).scan(filter.fromTicks, Math.min(filter.toTicks, nowTicks), q.o, after)) {
    if (e.visibleTicks > nowTicks || !matches(e, t, adapter, filter)) continue;
    if (events.length === size) return { events, more: true };
    events.push(e);
  }
  return { events, more: false };
}

/** Every record with time in [from, to] that has happened by now, visible or not (test ground truth). */
export function reportGroundTruth(state: SimulatorState, t: TenantRuntime, source: ReportSource, fromTicks: number, toTicks: number): { id: string; ticks: number; visible: boolean }[] {
  const adapter = REPORTS[source];
  const nowTicks = state.nowTicks();
  const out: { id: string; ticks: number; visible: boolean }[] = [];
  for (const e of adapter.stream(t).scan(fromTicks, Math.min(toTicks, nowTicks), 'asc')) out.push({ id: adapter.idOf(e, t), ticks: e.ticks, visible: e.visibleTicks <= nowTicks });
  return out;
}
