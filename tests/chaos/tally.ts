// Compares what every sink received with the simulator's ground truth, per source. Pure: no I/O.

/** One delivered copy of a record. `scope` groups copies that must be unique (a user round; '' for windowed sources). */
export interface DeliveredCopy {
  id: string;
  scope: string;
}

export interface SourceTally {
  source: string;
  expected: number;
  /** Expected records found in every sink. */
  delivered: number;
  /** Expected records missing from at least one sink. */
  lost: number;
  /** Extra copies of a record within one scope, summed over the sinks. */
  duplicated: number;
  /** Distinct ids some sink received that the ground truth does not list. */
  unexpected: number;
  perSink: Record<string, { received: number; lost: number; duplicated: number }>;
  /** A few lost ids, for the report. */
  lostSample: string[];
  duplicatedSample: string[];
}

export function tallySource(source: string, expected: Iterable<string>, sinks: Record<string, DeliveredCopy[]>): SourceTally {
  const want = new Set(expected);
  const perSink: SourceTally['perSink'] = {};
  const presentIn = new Map<string, number>();
  const everyId = new Set<string>();
  const duplicatedSample: string[] = [];
  let duplicated = 0;
  for (const [sink, copies] of Object.entries(sinks)) {
    const perScope = new Map<string, number>();
    const ids = new Set<string>();
    let sinkDuplicates = 0;
    for (const c of copies) {
      const k = `${c.scope}\u0000${c.id}`;
      const n = (perScope.get(k) ?? 0) + 1;
      perScope.set(k, n);
      if (n > 1) {
        sinkDuplicates++;
        if (duplicatedSample.length < 5) duplicatedSample.push(`${sink}:${c.id}`);
      }
      ids.add(c.id);
    }
    let sinkLost = 0;
    for (const id of want) if (!ids.has(id)) sinkLost++;
    for (const id of ids) {
      everyId.add(id);
      presentIn.set(id, (presentIn.get(id) ?? 0) + 1);
    }
    perSink[sink] = { received: copies.length, lost: sinkLost, duplicated: sinkDuplicates };
    duplicated += sinkDuplicates;
  }
  const sinkCount = Object.keys(sinks).length;
  let delivered = 0;
  const lostSample: string[] = [];
  for (const id of want) {
    if (sinkCount > 0 && presentIn.get(id) === sinkCount) delivered++;
    else if (lostSample.length < 5) lostSample.push(id);
  }
  let unexpected = 0;
  for (const id of everyId) if (!want.has(id)) unexpected++;
  return { source, expected: want.size, delivered, lost: want.size - delivered, duplicated, unexpected, perSink, lostSample, duplicatedSample };
}

export interface ChaosCounts {
  expected: number;
  delivered: number;
  lost: number;
  duplicated: number;
  faults: number;
  kills: number;
  seconds: number;
}

/** The run's last line, exactly as the issue asks for it. */
export function summaryLine(c: ChaosCounts): string {
  return `expected=${c.expected} delivered=${c.delivered} lost=${c.lost} duplicated=${c.duplicated} faults=${c.faults} kills=${c.kills} seconds=${c.seconds}`;
}
