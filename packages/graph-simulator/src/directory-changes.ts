/**
 * Users and groups that change over time, for /users/delta and /groups/delta. Changes come from their own
 * event streams; the state "as seen at" a cutoff is the fold of the changes visible by then, so a delta round
 * (previous cutoff, cutoff] reports exactly the objects whose changes became visible in between.
 */
import { EventStream, type StreamEvent } from './event-stream';
import { DEPARTMENTS, GIVEN_NAMES, JOB_TITLES, OFFICES, SURNAMES } from './names';
import { mix32, Rng } from './prng';
import type { DirectoryUser, TenantModel } from './tenant-model';

export type UserChangeKind = 'create' | 'update' | 'delete';

export interface UserChange {
  ticks: number;
  visibleTicks: number;
  kind: UserChangeKind;
  user: DirectoryUser; // the user's full state after the change
}

export interface MemberChange {
  ticks: number;
  visibleTicks: number;
  groupId: string;
  kind: 'add' | 'remove' | 'update';
  userId?: string;
  description?: string;
}

/** Append-only logs of changes up to the latest instant asked about. */
export class DirectoryChanges {
  private readonly userLog: UserChange[] = [];
  private readonly groupLog: MemberChange[] = [];
  private scannedTo: number;
  private readonly liveUsers = new Map<string, DirectoryUser>();
  private readonly members = new Map<string, Set<string>>();
  private createdCount = 0;

  constructor(
    private readonly tenant: TenantModel,
    private readonly userStream: EventStream,
    private readonly groupStream: EventStream,
  ) {
    this.scannedTo = userStream.firstTicks - 1;
    for (const u of tenant.users) this.liveUsers.set(u.id, u);
    for (const g of tenant.groups) this.members.set(g.id, new Set(g.initialMembers.map((i) => tenant.users[i].id)));
  }

  /** Generates changes up to `nowTicks` (they are fixed once their time has passed). */
  advanceTo(nowTicks: number): void {
    if (nowTicks <= this.scannedTo) return;
    const userEvents = [...this.userStream.scan(this.scannedTo + 1, nowTicks, 'asc')];
    const groupEvents = [...this.groupStream.scan(this.scannedTo + 1, nowTicks, 'asc')];
    // Interleave both streams in time order so group changes see the users that exist at that moment.
    let i = 0;
    let j = 0;
    while (i < userEvents.length || j < groupEvents.length) {
      if (j >= groupEvents.length || (i < userEvents.length && userEvents[i].ticks <= groupEvents[j].ticks)) this.applyUserEvent(userEvents[i++]);
      else this.applyGroupEvent(groupEvents[j++]);
    }
    this.scannedTo = nowTicks;
  }

  userChanges(fromTicks: number, toTicks: number): UserChange[] {
    return this.userLog.filter((c) => c.ticks >= fromTicks && c.ticks <= toTicks);
  }

  /** Users as a client sees them at `cutoff`: fold of changes visible by then. Deleted users map to null. */
  usersSeenAt(cutoff: number): Map<string, DirectoryUser | null> {
    const state = new Map<string, DirectoryUser | null>();
    for (const u of this.tenant.users) state.set(u.id, u);
    for (const c of this.userLog) {
      if (c.visibleTicks > cutoff) continue;
      if (c.kind === 'delete') state.set(c.user.id, null);
      else if (c.kind === 'create' || state.get(c.user.id)) state.set(c.user.id, c.user);
    }
    return state;
  }

  /** Ids of users with a change that became visible in (after, upTo]. */
  usersChangedBetween(after: number, upTo: number): Set<string> {
    const ids = new Set<string>();
    for (const c of this.userLog) if (c.visibleTicks > after && c.visibleTicks <= upTo) ids.add(c.user.id);
    return ids;
  }

  membershipSeenAt(cutoff: number): Map<string, Set<string>> {
    const state = new Map<string, Set<string>>();
    for (const g of this.tenant.groups) state.set(g.id, new Set(g.initialMembers.map((i) => this.tenant.users[i].id)));
    for (const c of this.groupLog) {
      if (c.visibleTicks > cutoff || !c.userId) continue;
      if (c.kind === 'add') state.get(c.groupId)?.add(c.userId);
      else if (c.kind === 'remove') state.get(c.groupId)?.delete(c.userId);
    }
    return state;
  }

  groupDescriptionsSeenAt(cutoff: number): Map<string, string> {
    const out = new Map<string, string>();
    for (const c of this.groupLog) if (c.kind === 'update' && c.visibleTicks <= cutoff && c.description) out.set(c.groupId, c.description);
    return out;
  }

  groupsChangedBetween(after: number, upTo: number): Set<string> {
    const ids = new Set<string>();
    for (const c of this.groupLog) if (c.visibleTicks > after && c.visibleTicks <= upTo) ids.add(c.groupId);
    return ids;
  }

  private applyUserEvent(e: StreamEvent): void {
    const r = new Rng(mix32(e.hash ^ 0x3c6ef372));
    const u = r.float();
    const live = [...this.liveUsers.values()];
    if (u < 0.035 || live.length < 3) {
      const user = this.newUser(r);
      this.liveUsers.set(user.id, user);
      this.userLog.push({ ticks: e.ticks, visibleTicks: e.visibleTicks, kind: 'create', user });
    } else if (u < 0.06) {
      const user = live[r.int(live.length)];
      this.liveUsers.delete(user.id);
      for (const m of this.members.values()) m.delete(user.id);
      this.userLog.push({ ticks: e.ticks, visibleTicks: e.visibleTicks, kind: 'delete', user });
    } else {
      const before = live[r.int(live.length)];
      const user: DirectoryUser = { ...before, jobTitle: r.pick(JOB_TITLES), department: r.pick(DEPARTMENTS), officeLocation: r.pick(OFFICES) };
      this.liveUsers.set(user.id, user);
      this.userLog.push({ ticks: e.ticks, visibleTicks: e.visibleTicks, kind: 'update', user });
    }
  }

  private applyGroupEvent(e: StreamEvent): void {
    const r = new Rng(mix32(e.hash ^ 0x7f4a7c15));
    const group = this.tenant.groups[r.int(this.tenant.groups.length)];
    const members = this.members.get(group.id) as Set<string>;
    const u = r.float();
    const base = { ticks: e.ticks, visibleTicks: e.visibleTicks, groupId: group.id };
    if (u < 0.15) {
      this.groupLog.push({ ...base, kind: 'update', description: `${group.displayName}, revision ${1 + r.int(999)}` });
      return;
    }
    if (u < 0.45 && members.size > 0) {
      const list = [...members];
      const userId = list[r.int(list.length)];
      members.delete(userId);
      this.groupLog.push({ ...base, kind: 'remove', userId });
      return;
    }
    const candidates = [...this.liveUsers.keys()].filter((id) => !members.has(id));
    if (candidates.length === 0) return;
    const userId = candidates[r.int(candidates.length)];
    members.add(userId);
    this.groupLog.push({ ...base, kind: 'add', userId });
  }

  private newUser(r: Rng): DirectoryUser {
    const index = this.tenant.users.length + this.createdCount++;
    const givenName = r.pick(GIVEN_NAMES);
    const surname = r.pick(SURNAMES);
    const alias = `${givenName}.${surname}${index}`;
    return {
      index,
      id: r.uuid(),
      givenName,
      surname,
      displayName: `${givenName} ${surname}`,
      userPrincipalName: `${alias}@${this.tenant.domain}`,
      mail: `${alias}@${this.tenant.domain}`,
      jobTitle: r.pick(JOB_TITLES),
      department: r.pick(DEPARTMENTS),
      officeLocation: r.pick(OFFICES),
      mobilePhone: null,
      businessPhones: [],
      preferredLanguage: 'en-US',
      userType: 'Member',
    };
  }
}
