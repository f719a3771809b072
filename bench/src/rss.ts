import fs from 'node:fs';

/** Resident memory of another process from /proc (Linux): current and the kernel's high-water mark, in MB. */
export function readRss(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/**
 * Samples a process's RSS every `everyMs` until stopped. VmHWM is the authoritative peak (it sees spikes between
 * samples); the samples show whether memory grows with the amount of work (a leak) or stays flat.
 */
export class RssSampler {
  private timer: NodeJS.Timeout;
  readonly samples: { atMs: number; rssMb: number }[] = [];
  private hwmMb = 0;

  constructor(private readonly pid: number, everyMs = 200) {
    const started = Date.now();
    const first = readRss(pid);
    if (first) this.samples.push({ atMs: 0, rssMb: first.rssMb });
    this.timer = setInterval(() => {
      const r = readRss(pid);
      if (!r) return;
      this.samples.push({ atMs: Date.now() - started, rssMb: r.rssMb });
      this.hwmMb = Math.max(this.hwmMb, r.hwmMb);
    }, everyMs);
    this.timer.unref();
  }

  /**
   * peakMb: the highest sampled RSS while the work ran. hwmMb: the kernel's high-water mark since the process started,
   * which also holds start-up (the worker bundles its workflow code with webpack before it polls).
   */
  stop(): { peakMb: number; hwmMb: number; firstMb: number; lastMb: number; samples: number } {
    clearInterval(this.timer);
    const r = readRss(this.pid);
    if (r) {
      this.hwmMb = Math.max(this.hwmMb, r.hwmMb);
      this.samples.push({ atMs: NaN, rssMb: r.rssMb });
    }
    const rss = this.samples.map((x) => x.rssMb);
    return {
      peakMb: Math.round(Math.max(...rss)), hwmMb: Math.round(this.hwmMb), firstMb: Math.round(rss[0] ?? NaN),
      lastMb: Math.round(rss[rss.length - 1] ?? NaN), samples: this.samples.length,
    };
  }
}
