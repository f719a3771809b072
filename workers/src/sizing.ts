import * as os from 'node:os';

/**
 * How much this worker takes on, from the memory it may use. What a worker holds is roughly a fixed base (the
 * Temporal runtime, the workflow bundle, the OCSF validators: ~200 MB measured, see docs/performance.md), plus per
 * running activity a page being parsed and a part of up to 10,000 events being built (~25 MB at the peak), plus per
 * cached workflow its state in the shared V8 context (under 1 MB; windows mostly sleep until a sweep, so a smaller
 * cache costs only a short replay when a timer fires).
 */
export interface WorkerSizing {
  memoryMb: number;
  maxConcurrentActivityTaskExecutions: number;
  maxCachedWorkflows: number;
  /**
   * V8's old-space limit for the process (`--max-old-space-size`), half the memory: without one V8 sizes its heap
   * from the machine and lets it grow far past what is live before it collects (GC is lazy with a large limit).
   * Node takes it at start only, so whoever starts the worker passes it (the image's entry point does).
   */
  heapCapMb: number;
}

const BASE_MB = 200;
const PER_ACTIVITY_MB = 25;
/** Activities beyond this gain nothing on the two cores a worker usually has: the work is CPU-bound mapping. */
const MAX_ACTIVITIES = 20;
const MIN_ACTIVITIES = 2;
const MAX_CACHED = 250;
const MIN_CACHED = 10;
/** Below this a page of big sign-ins and a part being built no longer fit beside the validators and bundles. */
const MIN_HEAP_MB = 128;

/** Pure: the sizing for `memoryMb` of memory the process may use (half of it for activities, a quarter for the cache). */
export function sizeWorker(memoryMb: number): WorkerSizing {
  const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, Math.floor(v)));
  return {
    memoryMb: Math.round(memoryMb),
    maxConcurrentActivityTaskExecutions: clamp((memoryMb / 2 - BASE_MB) / PER_ACTIVITY_MB, MIN_ACTIVITIES, MAX_ACTIVITIES),
    maxCachedWorkflows: clamp(memoryMb / 4, MIN_CACHED, MAX_CACHED),
    heapCapMb: Math.max(MIN_HEAP_MB, Math.floor(memoryMb / 2)),
  };
}

/** Names the memory (MB) a worker may use where no container limit says it (a VM shared with other processes). */
export const MEMORY_ENV = 'ENTRA_INGEST_WORKER_MEMORY_MB';

/**
 * The memory this process may use: $ENTRA_INGEST_WORKER_MEMORY_MB when set, else the container's (cgroup) limit
 * when there is one, else the machine's.
 */
export function availableMemoryMb(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env[MEMORY_ENV]);
  if (env[MEMORY_ENV] !== undefined && env[MEMORY_ENV] !== '') {
    if (!(given >= 64)) throw new Error(`${MEMORY_ENV} must be a number of megabytes (at least 64), got ${JSON.stringify(env[MEMORY_ENV])}`);
    return given;
  }
  const total = os.totalmem();
  // process.constrainedMemory (Node ≥ 19.6) reads the cgroup limit; 0 or a huge number when there is none.
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() ?? 0 : 0;
  const limit = constrained > 0 && constrained < total ? constrained : total;
  return limit / 1024 / 1024;
}
