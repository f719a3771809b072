import type { ExpiryCredential } from './activity-types';

// When to remind about an expiring credential: pure, so it is unit-tested without Temporal.

export const DAY_MS = 86_400_000;

export interface ReminderPoint {
  marker: string;
  at: number;
}

export function daysLeft(endMs: number, nowMs: number): number {
  return Math.floor((endMs - nowMs) / DAY_MS);
}

/** Points before expiry (`reminderDays` before), at expiry, then one a day while it stays expired. */
export function reminderPoints(c: ExpiryCredential, reminderDays: number[], nowMs: number): ReminderPoint[] {
  const end = Date.parse(c.endDateTime);
  const points = [...new Set(reminderDays)].map((d) => ({ marker: `${c.keyId}@-${d}d`, at: end - d * DAY_MS }));
  const expiredDays = nowMs >= end ? Math.floor((nowMs - end) / DAY_MS) + 1 : 0;
  for (let k = 0; k <= expiredDays; k++) points.push({ marker: `${c.keyId}@+${k}d`, at: end + k * DAY_MS });
  return points.sort((a, b) => a.at - b.at);
}

export interface ReminderPlan {
  /** One reminder per credential whose latest passed point was not reminded yet; `markers` are then all sent. */
  due: { credential: ExpiryCredential; markers: string[] }[];
  nextAt?: number;
}

/** A late start (or a long outage) sends one reminder for the latest point, not one per missed point. */
export function planReminders(credentials: ExpiryCredential[], reminderDays: number[], sent: ReadonlySet<string>, nowMs: number): ReminderPlan {
  const plan: ReminderPlan = { due: [] };
  for (const c of credentials) {
    if (Number.isNaN(Date.parse(c.endDateTime))) continue;
    const points = reminderPoints(c, reminderDays, nowMs);
    const past = points.filter((p) => p.at <= nowMs);
    const latest = past[past.length - 1];
    if (latest && !sent.has(latest.marker)) plan.due.push({ credential: c, markers: past.map((p) => p.marker) });
    const next = points.find((p) => p.at > nowMs);
    if (next && (plan.nextAt === undefined || next.at < plan.nextAt)) plan.nextAt = next.at;
  }
  return plan;
}
