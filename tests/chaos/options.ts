// The chaos run's knobs, their two presets (the full run and the short CI form) and the command-line parser.
import { parseDuration } from '@entra-ingest/config';

export interface ChaosOptions {
  /** Directory audits the simulator holds over its history (its `bulk`): what the backfill reads. */
  events: number;
  /** How long the chaos phase lasts (schedules running, faults injected); draining comes after. */
  durationMs: number;
  /** Worker processes kept running. */
  workers: number;
  /** SIGKILLs of a random worker during the chaos phase (each followed by a new worker). */
  kills: number;
  seed: number;
  /** Simulated history the backfill covers. */
  historyHours: number;
  /** The feed's window size, as in the config ('10m'). */
  window: string;
  /** Windows the backfill reads at once. */
  backfillConcurrency: number;
  /** How long the HTTP receiver answers 503. */
  receiverOutageMs: number;
  /** Longest wait for everything to finish after the chaos phase. */
  drainTimeoutMs: number;
  /** Keep the run's folder (config, data, logs) instead of deleting it. */
  keepDir: boolean;
  /** 'file': workers share the run's data folder. 's3': each its own folder, sharing only Temporal and an S3 server. */
  store: 'file' | 's3';
}

export const FULL_RUN: ChaosOptions = {
  events: 200_000, durationMs: 10 * 60_000, workers: 2, kills: 5, seed: 1, historyHours: 24, window: '20m',
  backfillConcurrency: 4, receiverOutageMs: 60_000, drainTimeoutMs: 15 * 60_000, keepDir: false, store: 'file',
};

/** The form that runs in the normal suite: the same chaos, smaller and faster (must finish in 4 minutes). */
export const SHORT_RUN: ChaosOptions = {
  events: 20_000, durationMs: 75_000, workers: 2, kills: 2, seed: 7, historyHours: 6, window: '10m',
  backfillConcurrency: 2, receiverOutageMs: 12_000, drainTimeoutMs: 140_000, keepDir: false, store: 'file',
};

export class ChaosUsageError extends Error {
  override name = 'ChaosUsageError';
}

const USAGE = 'usage: pnpm test:chaos [--short] [--events N] [--duration 10m] [--workers 2] [--kills 5] [--seed S] [--history-hours H] ' +
  '[--window 20m] [--concurrency C] [--outage 60s] [--drain 15m] [--store file|s3] [--keep]';

function positiveInt(flag: string, text: string | undefined, min = 1): number {
  const n = Number(text);
  if (text === undefined || !Number.isInteger(n) || n < min) throw new ChaosUsageError(`${flag} needs an integer >= ${min}, got ${JSON.stringify(text)}\n${USAGE}`);
  return n;
}

function durationMs(flag: string, text: string | undefined): number {
  try {
    if (text === undefined) throw new Error('missing');
    return parseDuration(text);
  } catch {
    throw new ChaosUsageError(`${flag} needs a duration like 90s or 10m, got ${JSON.stringify(text)}\n${USAGE}`);
  }
}

/** Parses `--events N --duration 10m --workers 2 --kills 5 --seed S …` over the full run's defaults (`--short`: the CI form's). */
export function parseChaosArgs(argv: string[], base: ChaosOptions = FULL_RUN): ChaosOptions {
  const o: ChaosOptions = { ...(argv.includes('--short') ? SHORT_RUN : base) };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    const takes = (): string | undefined => {
      i++;
      return value;
    };
    switch (flag) {
      case '--events': o.events = positiveInt(flag, takes()); break;
      case '--duration': o.durationMs = durationMs(flag, takes()); break;
      case '--workers': o.workers = positiveInt(flag, takes()); break;
      case '--kills': o.kills = positiveInt(flag, takes(), 0); break;
      case '--seed': o.seed = positiveInt(flag, takes(), 0); break;
      case '--history-hours': o.historyHours = positiveInt(flag, takes()); break;
      case '--window': durationMs(flag, value); o.window = takes()!; break;
      case '--concurrency': o.backfillConcurrency = positiveInt(flag, takes()); break;
      case '--outage': o.receiverOutageMs = durationMs(flag, takes()); break;
      case '--drain': o.drainTimeoutMs = durationMs(flag, takes()); break;
      case '--keep': o.keepDir = true; break;
      case '--store': {
        const store = takes();
        if (store !== 'file' && store !== 's3') throw new ChaosUsageError(`--store needs file or s3, got ${JSON.stringify(store)}\n${USAGE}`);
        o.store = store;
        break;
      }
      case '--short': break;
      case '--help': case '-h': throw new ChaosUsageError(USAGE);
      default: throw new ChaosUsageError(`unknown option ${JSON.stringify(flag)}\n${USAGE}`);
    }
  }
  if (o.historyHours > 30 * 24) throw new ChaosUsageError(`--history-hours must be at most 720 (Graph keeps 30 days), got ${o.historyHours}`);
  return o;
}
