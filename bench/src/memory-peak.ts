import fs from 'node:fs';

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
  /** Of the RSS, pages of mapped files (Linux RssFile): the node binary and native libraries' code, shared and clean. */
  filesMb?: number;
}

/** Samples process.memoryUsage() until stopped: the first sample, and the one with the highest RSS. */
export class MemoryPeak {
  private readonly first = sample();
  private peak = this.first;
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 200) {
    this.timer = setInterval(() => {
      if (process.memoryUsage.rss() > this.peak.usage.rss) this.peak = sample();
    }, everyMs);
    this.timer.unref();
  }

  stop(): { atStart: MemoryBreakdown; atPeak: MemoryBreakdown } {
    clearInterval(this.timer);
    return { atStart: breakdown(this.first), atPeak: breakdown(this.peak) };
  }
}

function sample(): { usage: NodeJS.MemoryUsage; filesBytes?: number } {
  let filesBytes: number | undefined;
  try {
    const kb = /^RssFile:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb !== undefined) filesBytes = Number(kb) * 1024;
  } catch {
    // not Linux: no split
  }
  return { usage: process.memoryUsage(), filesBytes };
}

function breakdown({ usage: m, filesBytes }: { usage: NodeJS.MemoryUsage; filesBytes?: number }): MemoryBreakdown {
  const mb = (bytes: number): number => Math.round(bytes / 1048576);
  return {
    rssMb: mb(m.rss), heapTotalMb: mb(m.heapTotal), heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external),
    otherMb: mb(m.rss - m.heapTotal - m.external), ...(filesBytes === undefined ? {} : { filesMb: mb(filesBytes) }),
  };
}
