/**
 * Fast seeded hashing and random draws. Every generated record is a pure function of a few integers
 * (seed, tenant, bucket, index), so the simulator can regenerate any record on demand instead of storing it.
 */

/** 32-bit avalanche mix (murmur3 finaliser). */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a list of integers (each folded to 32 bits) into one 32-bit value. */
export function hashInts(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    // Split large numbers (bucket indexes, times) into two 32-bit halves so nothing is lost.
    const lo = p >>> 0;
    const hi = Math.floor(p / 4294967296) >>> 0;
    h = mix32(h ^ lo) + 0x632be5ab;
    h = mix32(h ^ hi);
  }
  return h >>> 0;
}

/** FNV-1a hash of a string: used once per tenant/id to turn names into seeds. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** Small sequential generator (mulberry32) for drawing many values for one record. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform in [0, 1). */
  float(): number {
    return this.next32() / 4294967296;
  }
  int(maxExclusive: number): number {
    return Math.floor(this.float() * maxExclusive);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  /** A lower-case UUID-shaped string (version 4 layout). */
  uuid(): string {
    return formatUuid(this.next32(), this.next32(), this.next32(), this.next32());
  }
  hex(chars: number): string {
    let out = '';
    while (out.length < chars) out += this.next32().toString(16).padStart(8, '0');
    return out.slice(0, chars);
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex4(n: number): string {
  return HEX[(n >>> 24) & 0xff] + HEX[(n >>> 16) & 0xff] + HEX[(n >>> 8) & 0xff] + HEX[n & 0xff];
}

/** UUID v4 layout from four 32-bit words (table-driven: this runs for every generated record). */
export function formatUuid(a: number, b: number, c: number, d: number): string {
  const bHex = hex4(b);
  const cHex = hex4(((c & 0x3fffffff) | 0x80000000) >>> 0);
  return `${hex4(a)}-${bHex.slice(0, 4)}-4${bHex.slice(5, 8)}-${cHex.slice(0, 4)}-${cHex.slice(4, 8)}${hex4(d)}`;
}

/** A UUID with 64 bits drawn from two independent 32-bit seeds (one seed alone repeats within a million records). */
export function uuidFromTwo(seedA: number, seedB: number): string {
  const a = new Rng(seedA);
  const b = new Rng(seedB);
  return formatUuid(a.next32(), a.next32(), b.next32(), b.next32());
}

/** Deterministic UUID from a list of integers. */
export function uuidFrom(...parts: number[]): string {
  return new Rng(hashInts(...parts)).uuid();
}

/** Picks an index by relative weights given a uniform draw u in [0, 1). `cumulative` is the running sum. */
export function pickWeighted(cumulative: readonly number[], u: number): number {
  const target = u * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

let lastLambda = -1;
let lastExp = 1;

/** Poisson-distributed count with mean lambda from a uniform draw (inversion; normal approximation when large). */
export function poisson(lambda: number, rng: Rng): number {
  if (lambda <= 0) return 0;
  if (lambda > 40) {
    // Box-Muller normal approximation: plenty for bulk traffic shaping.
    const u1 = Math.max(rng.float(), 1e-12);
    const u2 = rng.float();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.max(0, Math.round(lambda + z * Math.sqrt(lambda)));
  }
  const u = rng.float();
  let p = lambda === lastLambda ? lastExp : ((lastLambda = lambda), (lastExp = Math.exp(-lambda)));
  let cdf = p;
  let k = 0;
  while (u > cdf && k < 1000) {
    k++;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}
