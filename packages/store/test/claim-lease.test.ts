import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileBlobStore, RecordIndex, claim, emptyBucket, expiredClaimants, parseBucket, release, settle, takeOver, type BucketIndex } from '@entra-ingest/store';

// Claim leases (pure rules, not yet used by the delivery activity): a claim records when it runs out; a claimant gone
// for longer (a terminated window) can have its records taken over by another, on its behalf, by compare-and-swap.

const T0 = Date.parse('2026-11-01T12:00:00Z');
const LEASE = { nowMs: T0, leaseMs: 60_000 };

describe('claim leases (pure rules)', () => {
  it('a claim with a lease records its expiry; a renewal happens only once less than half is left', () => {
    const a = claim(emptyBucket(), 'A', ['r1', 'r2'], LEASE);
    expect(a.next.leases).toEqual({ A: T0 + 60_000 });
    const early = claim(a.next, 'A', ['r1'], { nowMs: T0 + 20_000, leaseMs: 60_000 });
    expect(early.changed).toBe(false);
    const late = claim(a.next, 'A', ['r1'], { nowMs: T0 + 40_000, leaseMs: 60_000 });
    expect(late).toMatchObject({ changed: true, mine: ['r1'] });
    expect(late.next.leases).toEqual({ A: T0 + 100_000 });
    // Without a lease (the rule before leases) nothing about leases changes.
    expect(claim(emptyBucket(), 'A', ['r1']).next.leases).toBeUndefined();
  });

  it('only a claim whose lease ran out is expired; a claim without a lease never is', () => {
    let index = claim(emptyBucket(), 'A', ['r1'], LEASE).next;
    index = claim(index, 'OLD', ['r9']).next;
    expect(expiredClaimants(index, T0 + 59_999)).toEqual([]);
    expect(expiredClaimants(index, T0 + 60_000)).toEqual(['A']);
    expect(expiredClaimants(index, T0 + 10 ** 12)).toEqual(['A']);
  });

  it('taking over: what every sink has is settled, the rest released with the sinks that have it, the batch in flight kept', () => {
    const index = claim(emptyBucket(), 'A', ['done', 'half', 'none', 'flying'], LEASE).next;
    const plan = { settle: ['done'], release: ['half', 'none'], acceptedBy: { half: ['file'] } };
    const after = takeOver(index, 'A', plan, T0 + 61_000);
    expect(after.changed).toBe(true);
    expect(after.next).toEqual({ delivered: ['done'], claims: { A: ['flying'] }, partial: { half: ['file'] }, leases: { A: T0 + 60_000 } });
    // Another claimant now gets the released ones (and learns which sinks have them), not the delivered or kept ones.
    const b = claim(after.next, 'B', ['done', 'half', 'none', 'flying'], { nowMs: T0 + 61_000, leaseMs: 60_000 });
    expect(b).toMatchObject({ mine: ['half', 'none'], taken: ['done', 'flying'], alreadyAt: { half: ['file'] } });
  });

  it('does not take over a claimant whose lease is still running or was renewed meanwhile', () => {
    const index = claim(emptyBucket(), 'A', ['r1'], LEASE).next;
    const plan = { settle: [], release: ['r1'], acceptedBy: {} };
    expect(takeOver(index, 'A', plan, T0 + 30_000).changed).toBe(false);
    const renewed = claim(index, 'A', ['r1'], { nowMs: T0 + 50_000, leaseMs: 60_000 }).next;
    expect(takeOver(renewed, 'A', plan, T0 + 61_000).changed).toBe(false);
    // Control: the same plan on the unrenewed claim does change it.
    expect(takeOver(index, 'A', plan, T0 + 61_000).changed).toBe(true);
  });

  it('a lease goes with the last record of its claim (settled or released)', () => {
    const index = claim(emptyBucket(), 'A', ['r1', 'r2'], LEASE).next;
    expect(settle(index, 'A', ['r1']).next.leases).toEqual({ A: T0 + 60_000 });
    expect(settle(index, 'A', ['r1', 'r2']).next.leases).toBeUndefined();
    expect(release(index, 'A', ['r1', 'r2']).next.leases).toBeUndefined();
  });

  it('reads and checks leases in a stored bucket', () => {
    const index: BucketIndex = { delivered: [], claims: { A: ['r1'] }, leases: { A: T0 } };
    expect(parseBucket(JSON.stringify(index), 'k')).toEqual(index);
    expect(() => parseBucket(JSON.stringify({ ...index, leases: { A: 'soon' } }), 'records/x.json')).toThrow(/records\/x\.json.*leases/);
  });
});

describe('claim leases in a file store', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'claim-lease-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('records of an expired claimant count as available for the next deliverer, which takes them over', async () => {
    const index = new RecordIndex(new FileBlobStore(root), 'contoso', 'directoryAudits');
    await index.claim('20261101T12Z', 'A', ['r1', 'r2'], LEASE);
    expect([...(await index.unavailable('20261101T12Z', 'B', T0 + 1000))].sort()).toEqual(['r1', 'r2']);
    expect([...(await index.unavailable('20261101T12Z', 'B', T0 + 60_000))]).toEqual([]);
    expect([...(await index.unavailable('20261101T12Z', 'B'))].sort()).toEqual(['r1', 'r2']); // without a clock: as before
    expect(await index.takeOver('20261101T12Z', 'A', { settle: [], release: ['r1', 'r2'], acceptedBy: {} }, T0 + 60_000)).toBe(true);
    expect((await index.claim('20261101T12Z', 'B', ['r1', 'r2'], { nowMs: T0 + 60_000, leaseMs: 60_000 })).mine).toEqual(['r1', 'r2']);
    expect(await index.claimedBy('20261101T12Z', 'A')).toEqual([]);
  });
});
