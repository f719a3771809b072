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
  /** Expected records a sink refused for good or no sink could take (hostile id), found as dead letters: not lost. */
  deadLettered: number;
  /** Expected records missing from at least one sink (and not a dead letter of it). */
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

/**
 * `deadLetters[sink]`: ids found as dead letters for that sink (a rejected event); `deadLetters['*']`: for every sink
 * (a record that cannot be delivered anywhere). A dead-lettered record counts neither as delivered nor as lost.
 */
export function tallySource(source: string, expected: Iterable<string>, sinks: Record<string, DeliveredCopy[]>, deadLetters: Record<string, ReadonlySet<string>> = {}): SourceTally {
  const want = new Set(expected);
  const lettered = (sink: string, id: string): boolean => !!(deadLetters['*']?.has(id) || deadLetters[sink]?.has(id));
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
    for (const id of want) if (!ids.has(id) && !lettered(sink, id)) sinkLost++;
    for (const id of ids) {
      everyId.add(id);
      presentIn.set(id, (presentIn.get(id) ?? 0) + 1);
    }
    perSink[sink] = { received: copies.length, lost: sinkLost, duplicated: sinkDuplicates };
    duplicated += sinkDuplicates;
  }
  const sinkCount = Object.keys(sinks).length;
  let delivered = 0;
  let deadLettered = 0;
  const lostSample: string[] = [];
  for (const id of want) {
    if (sinkCount > 0 && presentIn.get(id) === sinkCount) delivered++;
    else if (sinkCount > 0 && Object.keys(sinks).every((sink) => lettered(sink, id) || sinks[sink]!.some((c) => c.id === id))) deadLettered++;
    else if (lostSample.length < 5) lostSample.push(id);
  }
  let unexpected = 0;
  for (const id of everyId) if (!want.has(id)) unexpected++;
  return { source, expected: want.size, delivered, deadLettered, lost: want.size - delivered - deadLettered, duplicated, unexpected, perSink, lostSample, duplicatedSample };
}

export interface ChaosCounts {
  expected: number;
  delivered: number;
  deadLettered: number;
  lost: number;
  duplicated: number;
  faults: number;
  kills: number;
  seconds: number;
}

/** The run's last line, exactly as the issue asks for it. */
export function summaryLine(c: ChaosCounts): string {
  return `expected=${c.expected} delivered=${c.delivered} deadLettered=${c.deadLettered} lost=${c.lost} duplicated=${c.duplicated} faults=${c.faults} kills=${c.kills} seconds=${c.seconds}`;
}

/** A window a workflow completed: [start, end) in ms. */
export interface ReadSpan {
  start: number;
  end: number;
}

/**
 * The parts of [from, to) no completed window covered. Windows come in any size (the schedule's, a backfill's pieces,
 * the sizes before and after a config change) and may overlap; what matters is that every instant was read.
 */
export function uncovered(spans: readonly ReadSpan[], from: number, to: number): ReadSpan[] {
  const gaps: ReadSpan[] = [];
  let at = from;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.end <= at) continue;
    if (s.start > at) gaps.push({ start: at, end: Math.min(s.start, to) });
    at = Math.max(at, s.end);
    if (at >= to) break;
  }
  if (at < to) gaps.push({ start: at, end: to });
  return gaps.filter((g) => g.end > g.start);
}

/** `ingest/<feed>/<source>/<start>-<end>` (compact times) → its span; undefined for another id. */
export function windowSpanOfId(workflowId: string): ReadSpan | undefined {
  const m = /\/(\d{8}T\d{6}(?:\.\d{3})?Z)-(\d{8}T\d{6}(?:\.\d{3})?Z)$/.exec(workflowId);
  if (!m) return undefined;
  const iso = (c: string): number => Date.parse(`${c.slice(0, 4)}-${c.slice(4, 6)}-${c.slice(6, 8)}T${c.slice(9, 11)}:${c.slice(11, 13)}:${c.slice(13)}`);
  return { start: iso(m[1]!), end: iso(m[2]!) };
}
