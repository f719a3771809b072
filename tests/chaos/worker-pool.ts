// Worker processes (the built CLI's `worker` command) kept at a given count: SIGKILLed on demand and replaced, and
// replaced as well if one dies on its own (counted, so the report shows it).
import path from 'node:path';
import { spawnWorker, workerReady, type WorkerProcess } from '../support/worker-process';

export interface PoolStats {
  spawned: number;
  kills: number;
  /** Workers that exited without being killed by the controller. */
  unexpectedExits: number;
}

export class WorkerPool {
  private readonly running = new Set<WorkerProcess>();
  private readonly killedByUs = new WeakSet<WorkerProcess>();
  private stopping = false;
  private n = 0;
  readonly stats: PoolStats = { spawned: 0, kills: 0, unexpectedExits: 0 };

  constructor(
    /** One config for every worker, or a fresh one per worker (its own folder: `--store s3`). */
    private readonly configFile: string | ((n: number) => string),
    private readonly taskQueue: string,
    private readonly temporalAddress: string,
    private readonly logDir: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Starts `count` workers and waits until each polls. */
  async start(count: number): Promise<void> {
    await Promise.all(Array.from({ length: count }, () => this.spawn().ready));
  }

  spawn(): { worker: WorkerProcess; ready: Promise<void> } {
    const logFile = path.join(this.logDir, `worker-${++this.n}.log`);
    // spawnWorker points the child at TEMPORAL_TEST_ADDRESS; this run has its own server. spawn() copies the
    // environment synchronously, so the swap is visible to nothing else.
    const saved = process.env.TEMPORAL_TEST_ADDRESS;
    process.env.TEMPORAL_TEST_ADDRESS = this.temporalAddress;
    let worker: WorkerProcess;
    try {
      const config = typeof this.configFile === 'string' ? this.configFile : this.configFile(this.n);
      worker = spawnWorker(config, this.taskQueue, logFile);
    } finally {
      if (saved === undefined) delete process.env.TEMPORAL_TEST_ADDRESS;
      else process.env.TEMPORAL_TEST_ADDRESS = saved;
    }
    this.stats.spawned++;
    this.running.add(worker);
    worker.child.once('exit', (code, signal) => {
      this.running.delete(worker);
      if (this.stopping || this.killedByUs.has(worker)) return;
      this.stats.unexpectedExits++;
      this.log(`worker ${path.basename(logFile)} exited on its own (code ${code}, signal ${signal}); starting another`);
      this.spawn();
    });
    const ready = workerReady(worker, 120_000).catch((err: Error) => this.log(`worker ${path.basename(logFile)} not ready: ${err.message}`));
    return { worker, ready };
  }

  /** SIGKILLs the worker the draw picks and starts a new one (without waiting for it: the others carry on). */
  async killOne(draw: number): Promise<void> {
    const workers = [...this.running];
    if (!workers.length) return;
    const victim = workers[Math.floor(draw * workers.length)]!;
    this.killedByUs.add(victim);
    await victim.kill('SIGKILL');
    this.stats.kills++;
    this.log(`SIGKILLed worker pid ${victim.child.pid} (${path.basename(victim.logFile)})`);
    this.spawn();
  }

  /**
   * A rolling restart (how a config change reaches the workers): for each worker running now, a new one is started
   * and, once it polls, the old one stops gracefully. The others go on working meanwhile.
   */
  async rollAll(): Promise<void> {
    for (const old of [...this.running]) {
      await this.spawn().ready;
      this.killedByUs.add(old);
      const hard = setTimeout(() => void old.kill('SIGKILL'), 10_000);
      await old.kill('SIGTERM');
      clearTimeout(hard);
    }
  }

  /** Workers currently running. */
  live(): number {
    return this.running.size;
  }

  logFiles(): string[] {
    return Array.from({ length: this.n }, (_, i) => path.join(this.logDir, `worker-${i + 1}.log`));
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.running].map(async (w) => {
      // A graceful stop first (in-flight activities finish), then no more waiting.
      const hard = setTimeout(() => void w.kill('SIGKILL'), 10_000);
      await w.kill('SIGTERM');
      clearTimeout(hard);
    }));
  }
}
