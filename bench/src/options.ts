import type { FreshnessOptions } from './freshness';

export const SECTIONS = ['mapping', 'simulator', 'e2e', 'limit', 'freshness', 'backfill'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  quick: boolean;
  sections: Section[];
  keep: boolean;
  mapping: { records: number; repetitions: number; validateSample: number };
  simulator: { records: number };
  /** workerMemoryMb: the memory the worker is started for (as in a container of that size; 0: the machine's). */
  e2e: { sizes: number[]; concurrency: number; windowHours: number; workerMemoryMb: number };
  limit: { seconds: number; multiTenants: number; concurrency: number };
  freshness: FreshnessOptions;
  /** Directory audits over the 7 days a backfill reads, for a quiet and a busy tenant. */
  backfill: { quietRecords: number; busyRecords: number };
  /** Run the Graph-limit and freshness sections at the same time (both mostly wait): the quick set's time budget. */
  overlapLimitAndFreshness: boolean;
}

const USAGE = `usage: pnpm bench [--quick] [--only ${SECTIONS.join(',')}] [--e2e-sizes 100000,1000000] [--e2e-worker-memory MB] [--freshness-minutes N] [--limit-tenants N] [--limit-seconds N] [--keep]`;

function numberList(v: string | undefined, flag: string): number[] {
  const list = (v ?? '').split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1000)) throw new Error(`${flag} takes record counts of at least 1000, like 100000,1000000 (got "${v}")\n${USAGE}`);
  return list;
}

export function parseOptions(argv: string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const o: BenchOptions = quick
    ? {
      quick, sections: [...SECTIONS], keep: false,
      mapping: { records: 20_000, repetitions: 3, validateSample: 10_000 },
      simulator: { records: 50_000 },
      e2e: { sizes: [50_000], concurrency: 4, windowHours: 3, workerMemoryMb: 512 },
      limit: { seconds: 30, multiTenants: 10, concurrency: 2 },
      freshness: {
        // Grace: a record that turns visible as the measured span ends is read when its window's first read is due,
        // up to every + lag = 30 s later, then mapped and delivered; with 25 s such records were sometimes still
        // on their way when the run stopped, and counted as never delivered.
        measureSeconds: 30, graceSeconds: 40, eventsPerMinute: 600, window: '10s', lag: '20s', sweeps: ['1m'],
        latency: { p50Seconds: 4, maxSeconds: 15, tailShare: 0 },
      },
      backfill: { quietRecords: 2_000, busyRecords: 30_000 },
      overlapLimitAndFreshness: true,
    }
    : {
      quick, sections: [...SECTIONS], keep: false,
      mapping: { records: 200_000, repetitions: 5, validateSample: 20_000 },
      simulator: { records: 300_000 },
      // Backfills read big windows (`backfill --window 3h`): the per-window work is paid once per 3 hours of logs.
      e2e: { sizes: [100_000, 1_000_000], concurrency: 4, windowHours: 3, workerMemoryMb: 512 },
      limit: { seconds: 120, multiTenants: 10, concurrency: 2 },
      freshness: {
        measureSeconds: 30 * 60, graceSeconds: 5 * 60, eventsPerMinute: 300, window: '1m', lag: '2m', sweeps: ['10m', '30m'],
        latency: { p50Seconds: 40, maxSeconds: 1800, tailShare: 0.03 },
      },
      backfill: { quietRecords: 2_000, busyRecords: 100_000 },
      overlapLimitAndFreshness: false,
    };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') continue;
    if (a === '--keep') o.keep = true;
    else if (a === '--only') {
      const list = (argv[++i] ?? '').split(',').filter(Boolean);
      const bad = list.find((s) => !(SECTIONS as readonly string[]).includes(s));
      if (bad !== undefined || list.length === 0) throw new Error(`--only takes sections among ${SECTIONS.join(', ')} (got "${argv[i] ?? ''}")\n${USAGE}`);
      o.sections = list as Section[];
    } else if (a === '--e2e-sizes') o.e2e.sizes = numberList(argv[++i], a);
    else if (a === '--e2e-worker-memory') {
      const mb = Number(argv[++i]);
      if (!Number.isInteger(mb) || (mb !== 0 && mb < 64)) throw new Error(`--e2e-worker-memory takes megabytes (at least 64; 0: the machine's), got "${argv[i]}"\n${USAGE}`);
      o.e2e.workerMemoryMb = mb;
    }
    else if (a === '--freshness-minutes') {
      const m = Number(argv[++i]);
      if (!(m > 0)) throw new Error(`--freshness-minutes takes a positive number (got "${argv[i] ?? ''}")\n${USAGE}`);
      o.freshness.measureSeconds = Math.round(m * 60);
    } else if (a === '--limit-tenants') {
      const t = Number(argv[++i]);
      if (!Number.isInteger(t) || t < 1) throw new Error(`--limit-tenants takes a whole number of tenants (got "${argv[i] ?? ''}")\n${USAGE}`);
      o.limit.multiTenants = t;
    } else if (a === '--limit-seconds') {
      const t = Number(argv[++i]);
      if (!(t >= 10)) throw new Error(`--limit-seconds takes at least 10 (got "${argv[i] ?? ''}")\n${USAGE}`);
      o.limit.seconds = t;
    } else if (a === '--help' || a === '-h') throw new Error(USAGE);
    else throw new Error(`unknown option "${a}"\n${USAGE}`);
  }
  return o;
}
