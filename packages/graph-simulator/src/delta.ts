/**
 * GET /v1.0/users/delta and /v1.0/groups/delta. A round lists objects (all of them the first time, then those
 * whose changes became visible since the previous round) in pages linked by $skiptoken, and ends with an
 * @odata.deltaLink whose $deltatoken holds the round's cutoff time. Old tokens get 410 syncStateNotFound.
 */
import { applyRequestFaults, sendPageBody } from './faults';
import { authenticate, requirePermission } from './graph-auth';
import { sendGraphError, type Ctx } from './http-util';
import { openToken, sealToken } from './jwt';
import { DELTA_TOKEN_DAYS, type SimulatorState, type TenantRuntime } from './state';
import type { DirectoryUser, TenantModel } from './tenant-model';
import { TICKS_PER_MS } from './time';

type Kind = 'users' | 'groups' | 'devices';

interface DeltaToken {
  k: Kind;
  t: string;
  sel: string | null;
  /** Cutoff of this round and of the previous one (null on the first round). */
  c: number;
  p: number | null;
  o: number;
  iat: number;
}

const USER_DEFAULT = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];
const USER_SELECTABLE = new Set([...USER_DEFAULT, 'department', 'userType', 'accountEnabled']);
const GROUP_SELECTABLE = new Set(['id', 'createdDateTime', 'description', 'displayName', 'groupTypes', 'mail', 'mailEnabled', 'mailNickname', 'securityEnabled', 'members']);
const DEVICE_SELECTABLE = new Set(['id', 'deviceId', 'displayName', 'operatingSystem', 'operatingSystemVersion', 'accountEnabled', 'createdDateTime', 'trustType', 'isCompliant', 'isManaged']);
const PERMISSIONS: Record<Kind, string[]> = {
  users: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  devices: ['Device.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  groups: ['Group.Read.All', 'GroupMember.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
};
const DEFAULT_PAGE = 100;
const MAX_PAGE = 999;

export async function handleDelta(ctx: Ctx, state: SimulatorState, kind: Kind): Promise<void> {
  const caller = authenticate(ctx, state);
  if (!caller || !requirePermission(ctx, caller, PERMISSIONS[kind])) return;
  if (await applyRequestFaults(ctx, state)) return;
  const tenant = caller.tenant;
  const q = ctx.url.searchParams;
  const nowTicks = state.nowTicks();
  const deltatoken = q.get('$deltatoken');
  const skiptoken = q.get('$skiptoken');
  let round: DeltaToken;
  if (deltatoken !== null || skiptoken !== null) {
    const opened = openToken<DeltaToken>((deltatoken ?? skiptoken) as string, state.key);
    if (!opened || opened.k !== kind || opened.t !== tenant.model.tenantId) return sendGraphError(ctx, 400, 'BadRequest', `Invalid ${deltatoken !== null ? 'delta' : 'skip'} token.`);
    if (opened.c < nowTicks - DELTA_TOKEN_DAYS * 86_400_000 * TICKS_PER_MS) {
      return sendGraphError(ctx, 410, 'syncStateNotFound', 'The sync state generation is not found. Delta tokens are valid for 7 days: restart the synchronization without a token.', {
        location: `${state.url}/v1.0/${kind}/delta${opened.sel ? `?$select=${encodeURIComponent(opened.sel)}` : ''}`,
      });
    }
    round = deltatoken !== null ? { ...opened, p: opened.c, c: nowTicks, o: 0 } : opened;
  } else {
    const sel = q.get('$select');
    const allowed = kind === 'users' ? USER_SELECTABLE : kind === 'devices' ? DEVICE_SELECTABLE : GROUP_SELECTABLE;
    const unknown = (sel ?? '').split(',').map((s) => s.trim()).filter((s) => s && !allowed.has(s));
    if (unknown.length > 0) return sendGraphError(ctx, 400, 'Request_BadRequest', `Could not find a property named '${unknown[0]}' on type 'microsoft.graph.${kind.slice(0, -1)}'.`);
    round = { k: kind, t: tenant.model.tenantId, sel, c: nowTicks, p: null, o: 0, iat: ctx.nowMs };
  }

  tenant.changes.advanceTo(round.c);
  const all = kind === 'users' ? userItems(tenant, round) : kind === 'devices' ? deviceItems(tenant, round) : groupItems(tenant, round);
  const pageSize = preferredPageSize(ctx);
  const items = all.slice(round.o, round.o + pageSize);
  state.stats.recordsServed += items.length;
  const more = round.o + items.length < all.length;
  const link = more
    ? `"@odata.nextLink":${JSON.stringify(`${state.url}/v1.0/${kind}/delta?$skiptoken=${sealToken({ ...round, o: round.o + items.length, iat: ctx.nowMs }, state.key)}`)}`
    : `"@odata.deltaLink":${JSON.stringify(`${state.url}/v1.0/${kind}/delta?$deltatoken=${sealToken({ ...round, o: 0, iat: ctx.nowMs }, state.key)}`)}`;
  const context = `${state.url}/v1.0/$metadata#${kind}${round.sel ? `(${round.sel})` : ''}`;
  sendPageBody(ctx, state, `{"@odata.context":${JSON.stringify(context)},${link},"value":${JSON.stringify(items)}}`);
}

function preferredPageSize(ctx: Ctx): number {
  const prefer = String(ctx.req.headers.prefer ?? '');
  const m = /odata\.maxpagesize=(\d+)/i.exec(prefer);
  return m ? Math.min(Math.max(1, Number(m[1])), MAX_PAGE) : DEFAULT_PAGE;
}

function selected(sel: string | null, defaults: string[]): string[] {
  if (!sel) return defaults;
  const fields = sel.split(',').map((s) => s.trim()).filter(Boolean);
  return fields.includes('id') ? fields : [...fields, 'id'];
}

function userObject(u: DirectoryUser, fields: string[]): Record<string, unknown> {
  const full: Record<string, unknown> = { ...u, accountEnabled: true };
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = full[f] ?? null;
  return out;
}

function userItems(t: TenantRuntime, round: DeltaToken): Record<string, unknown>[] {
  const fields = selected(round.sel, USER_DEFAULT);
  const seen = t.changes.usersSeenAt(round.c);
  if (round.p === null) {
    return [...seen.values()].filter((u): u is DirectoryUser => u !== null).sort((a, b) => a.index - b.index).map((u) => userObject(u, fields));
  }
  return [...t.changes.usersChangedBetween(round.p, round.c)].map((id) => {
    const u = seen.get(id);
    return u ? userObject(u, fields) : { id, '@removed': { reason: 'changed' } };
  });
}

function groupItems(t: TenantRuntime, round: DeltaToken): Record<string, unknown>[] {
  const wantsMembers = !round.sel || round.sel.split(',').map((s) => s.trim()).includes('members');
  const fields = round.sel ? selected(round.sel, []).filter((f) => f !== 'members') : ['id', 'createdDateTime', 'description', 'displayName', 'groupTypes', 'mail', 'mailEnabled', 'mailNickname', 'securityEnabled'];
  const now = t.changes.membershipSeenAt(round.c);
  const descriptions = t.changes.groupDescriptionsSeenAt(round.c);
  const before = round.p === null ? null : t.changes.membershipSeenAt(round.p);
  const ids = round.p === null ? t.model.groups.map((g) => g.id) : [...t.changes.groupsChangedBetween(round.p, round.c)];
  return ids.map((id) => {
    const g = t.model.groups.find((x) => x.id === id) as (typeof t.model.groups)[number];
    const full: Record<string, unknown> = { ...g, description: descriptions.get(id) ?? g.description, mailNickname: g.mail ? g.mail.split('@')[0] : g.displayName.replace(/\W/g, '') };
    const out: Record<string, unknown> = {};
    for (const f of fields) out[f] = full[f] ?? null;
    if (wantsMembers) {
      const members = now.get(id) ?? new Set<string>();
      const previous = before?.get(id);
      const delta: Record<string, unknown>[] = [];
      for (const m of members) if (!previous || !previous.has(m)) delta.push({ '@odata.type': '#microsoft.graph.user', id: m });
      if (previous) for (const m of previous) if (!members.has(m)) delta.push({ '@odata.type': '#microsoft.graph.user', id: m, '@removed': { reason: 'deleted' } });
      if (delta.length > 0 || round.p === null) out['members@delta'] = delta;
    }
    return out;
  });
}

/** Every property the simulator knows of the tenant's i-th device, as devices/delta serves it unselected. */
export function deviceRecord(model: TenantModel, i: number): Record<string, unknown> {
  const d = model.devices[i]!;
  return {
    ...d, operatingSystemVersion: d.operatingSystem === 'Windows' ? '10.0.22631' : '17.5', accountEnabled: true,
    createdDateTime: new Date(Date.UTC(2023, 0, 1 + i)).toISOString().replace('.000Z', 'Z'), trustType: 'AzureAd', isCompliant: i % 5 !== 0, isManaged: true,
  };
}

/** Devices: the tenant's registered devices on the first round; the simulated directory does not change them later. */
function deviceItems(t: TenantRuntime, round: DeltaToken): Record<string, unknown>[] {
  if (round.p !== null) return [];
  const fields = round.sel ? selected(round.sel, []) : ['id', 'deviceId', 'displayName', 'operatingSystem', 'operatingSystemVersion', 'accountEnabled', 'createdDateTime', 'trustType', 'isCompliant', 'isManaged'];
  return t.model.devices.map((d, i) => {
    const full = deviceRecord(t.model, i);
    const out: Record<string, unknown> = {};
    for (const f of fields) out[f] = full[f] ?? null;
    return out;
  });
}
