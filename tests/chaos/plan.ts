// When the controller does what, drawn from the seed so a failing run can be repeated with the same moments.

export interface ChaosPlan {
  /** Offsets (ms from the start of the chaos phase) of the worker kills, ascending. */
  killsAtMs: number[];
  /** Draw in [0, 1) used to pick which worker each kill hits. */
  victimDraws: number[];
  serverRestartAtMs: number;
  receiverOutage: { atMs: number; forMs: number };
  secretExpiryAtMs: number;
  /** When the feed's window changes in the config (the workers restart one by one to read it). */
  windowChangeAtMs: number;
}

/** mulberry32: small, fast and good enough to spread moments; deterministic per seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Kills fall at random in the first 85% of the phase, at least 8 s apart (a worker needs seconds to start: kills
 * closer together would only hit workers that are still booting). The receiver outage comes early, the server
 * restart in the middle, the secret expiry just after it, the window change after that, so every fault lands while
 * windows are being read.
 */
export function makePlan(durationMs: number, kills: number, receiverOutageMs: number, seed: number): ChaosPlan {
  const random = seededRandom(seed);
  const from = Math.min(10_000, durationMs * 0.1);
  const to = durationMs * 0.85;
  const gap = Math.min(8_000, (to - from) / Math.max(1, kills));
  // Spread: each kill gets its own slot and a random moment in it, so kills never bunch up.
  const slot = (to - from) / Math.max(1, kills);
  const killsAtMs = Array.from({ length: kills }, (_, i) => Math.round(from + i * slot + random() * Math.max(0, slot - gap)));
  const victimDraws = Array.from({ length: kills }, () => random());
  return {
    killsAtMs,
    victimDraws,
    receiverOutage: { atMs: Math.round(durationMs * 0.15), forMs: receiverOutageMs },
    serverRestartAtMs: Math.round(durationMs * 0.4),
    secretExpiryAtMs: Math.round(durationMs * 0.5),
    windowChangeAtMs: Math.round(durationMs * 0.65),
  };
}
