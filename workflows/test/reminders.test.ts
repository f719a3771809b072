import { DAY_MS, planReminders } from '../src/reminders';

const end = Date.parse('2026-12-31T00:00:00Z');
const cred = { kind: 'password' as const, displayName: 'ingest', keyId: 'k1', endDateTime: new Date(end).toISOString() };
const days = [30, 14, 7, 3, 1];

function simulate(fromMs: number, toMs: number): { at: number; daysLeft: number }[] {
  // Walk time the way the workflow does: act on what is due, then sleep until the next point.
  const sent = new Set<string>();
  const fired: { at: number; daysLeft: number }[] = [];
  let now = fromMs;
  while (now <= toMs) {
    const plan = planReminders([cred], days, sent, now);
    for (const d of plan.due) {
      fired.push({ at: now, daysLeft: Math.floor((end - now) / DAY_MS) });
      d.markers.forEach((m) => sent.add(m));
    }
    if (plan.nextAt === undefined) break;
    now = plan.nextAt;
  }
  return fired;
}

test('reminds at 30, 14, 7, 3 and 1 days before expiry, then daily once expired', () => {
  const fired = simulate(end - 60 * DAY_MS, end + 3 * DAY_MS + 1);
  expect(fired.map((f) => f.daysLeft)).toEqual([30, 14, 7, 3, 1, 0, -1, -2, -3]);
  expect(fired[0]!.at).toBe(end - 30 * DAY_MS);
});

test('a late start sends one reminder for the latest point, not one per missed point', () => {
  const fired = simulate(end - 10 * DAY_MS, end - 2 * DAY_MS);
  expect(fired.map((f) => f.daysLeft)).toEqual([10, 7, 3]);
});

test('nothing is due far from expiry; the next point is 30 days before', () => {
  const plan = planReminders([cred], days, new Set(), end - 100 * DAY_MS);
  expect(plan.due).toEqual([]);
  expect(plan.nextAt).toBe(end - 30 * DAY_MS);
});

test('the earliest next point across credentials wins; unparsable dates are ignored', () => {
  const soon = { ...cred, keyId: 'k2', endDateTime: new Date(end - 20 * DAY_MS).toISOString() };
  const plan = planReminders([cred, soon, { ...cred, keyId: 'bad', endDateTime: 'never' }], days, new Set(), end - 100 * DAY_MS);
  expect(plan.nextAt).toBe(end - 50 * DAY_MS);
});
