import { auditIdOf } from '../src/audits';
import { EventStream, type StreamEvent } from '../src/event-stream';
import { hashInts } from '../src/prng';
import { signInIdOf } from '../src/signins';
import { TenantModel } from '../src/tenant-model';

// A stream salt for which the 32-bit content hash of two events repeats within a day (found by search): before ids
// mixed in the event's position, those two events had the same id, and a delivery that is exactly once by id
// delivered one of them.
const SALT = 0xdeadbeef;
const DAY_BUCKET = 6_393_168_000; // 2026-12-01T00:00Z in 10-s buckets
const tenant = new TenantModel(1, { tenantId: 'b0000000-0000-4000-8000-0000000001d5', premium: true, clients: [], users: 20, groups: 2 });

const event = (bucket: number, index: number): StreamEvent => ({ bucket, index, ticks: 0, visibleTicks: 0, hash: hashInts(SALT, bucket, index) });

test('two events whose content hash repeats get different audit and sign-in ids', () => {
  const a = event(DAY_BUCKET + 2325, 2);
  const b = event(DAY_BUCKET + 5342, 0);
  expect(a.hash).toBe(b.hash); // the control: same content hash
  expect(auditIdOf(a, tenant).id).not.toBe(auditIdOf(b, tenant).id);
  expect(signInIdOf(a)).not.toBe(signInIdOf(b));
  // Same event, same id (ground truth and served records agree).
  expect(auditIdOf(a, tenant).id).toBe(auditIdOf(event(DAY_BUCKET + 2325, 2), tenant).id);
});

test('nine busy hours of one stream have unique record ids although content hashes repeat', () => {
  const bucketTicks = 100_000_000; // 10 s
  const firstTicks = (DAY_BUCKET + 2300) * bucketTicks;
  const stream = new EventStream(SALT, 2, { p50Seconds: 0, maxSeconds: 0, tailShare: 0 }, firstTicks);
  const events = [...stream.scan(firstTicks, (DAY_BUCKET + 5400) * bucketTicks, 'asc')];
  expect(events.length).toBeGreaterThan(60_000);
  const distinct = (xs: string[] | number[]): number => new Set<string | number>(xs).size;
  expect(distinct(events.map((e) => e.hash))).toBeLessThan(events.length);
  expect(distinct(events.map((e) => auditIdOf(e, tenant).id))).toBe(events.length);
  expect(distinct(events.map((e) => signInIdOf(e)))).toBe(events.length);
});
