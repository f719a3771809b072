/** What a process's memory is made of, in MB: its V8 heap, the memory outside it that V8 knows of, and the rest. */
export interface MemoryBreakdown {
  rssMb: number;
  /** The main thread's V8 heap: reserved, and live after the last collection. */
  heapTotalMb: number;
  heapUsedMb: number;
  /** Outside the heap but known to V8: Buffers and ArrayBuffers (page texts, file chunks, sockets' data). */
  externalMb: number;
  /**
   * RSS minus both: native memory of Node and of the Temporal core (Rust), the workflow thread's own V8 heap, compiled
   * code, and memory malloc keeps after it was freed.
   */
  otherMb: number;
}

/** Samples process.memoryUsage() until stopped: the first sample, and the one with the highest RSS. */
export class MemoryPeak {
  private readonly first: NodeJS.MemoryUsage = process.memoryUsage();
  private peak: NodeJS.MemoryUsage = this.first;
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 200) {
    this.timer = setInterval(() => {
      const m = process.memoryUsage();
      if (m.rss > this.peak.rss) this.peak = m;
    }, everyMs);
    this.timer.unref();
  }

  stop(): { atStart: MemoryBreakdown; atPeak: MemoryBreakdown } {
    clearInterval(this.timer);
    return { atStart: breakdown(this.first), atPeak: breakdown(this.peak) };
  }
}

function breakdown(m: NodeJS.MemoryUsage): MemoryBreakdown {
  const mb = (bytes: number): number => Math.round(bytes / 1048576);
  return {
    rssMb: mb(m.rss), heapTotalMb: mb(m.heapTotal), heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external),
    otherMb: mb(m.rss - m.heapTotal - m.external),
  };
}
