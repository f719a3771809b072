import type { BackfillSpeedResult } from './backfill-speed';
import type { EndToEndResult } from './end-to-end';
import type { FreshnessResult } from './freshness';
import type { GraphLimitResult } from './graph-limit';
import type { MachineInfo } from './machine';
import type { MappingResult } from './mapping';
import type { MemoryBreakdown } from './memory-peak';
import type { SimulatorSpeed } from './simulator-speed';

export interface BenchResults {
  mode: 'quick' | 'full';
  startedAt: string;
  wallSeconds: number;
  machine: MachineInfo;
  mapping?: MappingResult;
  simulator?: SimulatorSpeed;
  endToEnd?: EndToEndResult;
  graphLimit?: GraphLimitResult;
  freshness?: FreshnessResult;
  backfill?: BackfillSpeedResult;
}

type Row = [section: string, figure: string, measured: string, target: string, verdict: string];

const n = (v: number): string => Math.round(v).toLocaleString('en-US');
const mb = (v: number): string => `${n(v)} MB`;
const check = (ok: boolean): string => (ok ? 'met' : 'MISSED');

/** The results as one plain-text table (targets beside the figures) and a header naming machine and versions. */
export function renderTable(r: BenchResults): string {
  const rows: Row[] = [];
  const m = r.mapping;
  if (m) {
    for (const s of m.sources) {
      rows.push(['1 mapping', `${s.source}: parse→map→serialize`, `${n(s.recordsPerSecond)} rec/s = ${s.ratioToFloor.toFixed(2)}× floor (${n(s.floorRecordsPerSecond)}/s; serializing alone ${s.serializeOnlyRatioToFloor.toFixed(2)}×)`, '≥ 0.70× floor', check(s.ratioToFloor >= 0.7)]);
    }
    rows.push(['1 mapping', 'Ajv per event, optimised (first pass)', m.sources.map((s) => `${s.source} ${s.validateMicrosPerEvent} µs (${s.validateFirstPassMicrosPerEvent})`).join(', '), '', '']);
  }
  const e = r.endToEnd;
  if (e) {
    for (const run of e.runs) {
      const k = `${n(run.records / 1000)}k`;
      rows.push(['2 end to end', `${k}: Temporal vs plain loop`, `${n(run.temporal.eventsPerSecond)} vs ${n(run.plain.eventsPerSecond)} ev/s = ${run.ratioToPlain.toFixed(2)}×`, '≥ 0.80×', check(run.ratioToPlain >= 0.8)]);
      rows.push(['2 end to end', `${k}: time, worker peak RSS`, `${run.temporal.seconds} s (plain ${run.plain.seconds} s), ${mb(run.temporal.peakRssMb)} (plain ${mb(run.plain.peakRssMb)})`, '< 300 MB', check(run.temporal.peakRssMb < 300)]);
      const parts = (m: MemoryBreakdown): string => `${mb(m.rssMb)} = V8 heap ${mb(m.heapTotalMb)} (${mb(m.heapUsedMb)} live) + buffers ${mb(m.externalMb)} + native and the rest ${mb(m.otherMb)}${m.filesMb === undefined ? '' : ` (of it mapped files ${mb(m.filesMb)})`}`;
      const memory = run.temporal.memory;
      if (memory) {
        rows.push(['2 end to end', `${k}: worker memory when polling began`, parts(memory.atStart), '', '']);
        rows.push(['2 end to end', `${k}: worker memory at its peak`, parts(memory.atPeak), '', '']);
      }
      rows.push(['2 end to end', `${k}: history per 1,000 records`, `${n(run.history.bytesPer1000)} B, ${run.history.eventsPer1000} events (${n(run.history.runs)} runs, ${n(run.history.activities)} activities, ${run.history.activityRetries} retries)`, '< 2 KB', check(run.history.bytesPer1000 < 2048)]);
      if (run.phases?.length) {
        const phases = run.phases.map((p) => `${p.activity} ×${p.count} ${p.fromSeconds.toFixed(1)}–${p.toSeconds.toFixed(1)} s (${p.atOnce} at once)`).join(', ');
        rows.push(['2 end to end', `${k}: phases (s after the start)`, phases, '', '']);
      }
      rows.push(['2 end to end', `${k}: output`, run.sameOutput ? `${n(run.outputFiles ?? 0)} files, byte-identical to the plain loop's` : 'Temporal and plain files DIFFER', 'same files', check(run.sameOutput)]);
    }
    rows.push(['2 end to end', 'against one app\'s Graph budget', `${n(e.eventsPerSecond)} ev/s = ${e.ratioToAppLimit.toFixed(2)}× ${n(e.configuration.appLimitRecordsPerSecond)}/s (${e.configuration.workers} worker${e.configuration.workerMemoryMb ? ` sized for ${e.configuration.workerMemoryMb} MB` : ''}, concurrency ${e.configuration.backfillConcurrency}, validation on)`, '≥ 1.0×', check(e.ratioToAppLimit >= 1)]);
    if (e.runs.length > 1) {
      const [a, b] = [e.runs[0]!, e.runs[e.runs.length - 1]!];
      const timeRatio = b.temporal.seconds / a.temporal.seconds;
      const recordRatio = b.records / a.records;
      rows.push(['2 end to end', `scale ${n(a.records / 1000)}k → ${n(b.records / 1000)}k`, `time ×${timeRatio.toFixed(1)} for records ×${recordRatio.toFixed(1)}; RSS ${mb(a.temporal.peakRssMb)} → ${mb(b.temporal.peakRssMb)}`, 'linear time, flat RSS', check(timeRatio <= recordRatio * 1.25 && b.temporal.peakRssMb <= a.temporal.peakRssMb * 1.25)]);
    }
  }
  const g = r.graphLimit;
  if (g) {
    for (const [label, s] of [['1 tenant', g.single], [`${g.multi.tenants} tenants, one app`, g.multi]] as const) {
      rows.push(['3 Graph limit', `${label}: request rate`, `${s.achievedPer10s} of ${s.allowedPer10s} per 10 s = ${s.fractionOfAllowed.toFixed(3)} (app limit: ${s.fractionOfAppLimit.toFixed(2)})`, '≥ 0.95', check(s.fractionOfAllowed >= 0.95)]);
      rows.push(['3 Graph limit', `${label}: 429s, events/s, lost`, `${n(s.throttled429)} 429s (${s.throttledAt.filter((t) => t > 10).length} after 10 s), ${n(s.eventsPerSecond)} ev/s, ${s.lostWindows + s.windowsFailed} windows and ${n(s.sink.lost)} records lost, ${n(s.sink.duplicated)} duplicated, ${n(s.sink.events)}/${n(s.expectedEvents)} events in the sink`, '0 lost', check(s.lostWindows + s.windowsFailed === 0 && s.sink.lost === 0 && s.sink.duplicated === 0 && s.sink.unexpected === 0 && s.sink.events === s.expectedEvents && s.events === s.expectedEvents)]);
    }
  }
  const f = r.freshness;
  if (f) {
    rows.push(['4 freshness', 'visible in Graph → in the sink', `p50 ${f.p50Seconds} s, p95 ${f.p95Seconds} s, max ${f.maxSeconds} s (${n(f.measured)} records, ${f.pending} awaiting sweeps)`, `p95 < ${f.targetSeconds} s`, check(f.p95Seconds < f.targetSeconds)]);
  }
  const b = r.backfill;
  if (b) {
    for (const c of [b.quiet, b.busy]) {
      rows.push(['6 backfill', `7 days, ${c.name} (${n(c.records)} audits): Graph minimum ÷ time`, `${c.minimumSeconds} s ÷ ${c.seconds} s = ${c.ratioToMinimum.toFixed(2)} (${c.requests} requests for a minimum of ${c.minimumRequests}, ${c.windows} windows, ${c.throttled429} 429s)`, '≥ 0.5', check(c.ratioToMinimum >= 0.5)]);
      rows.push(['6 backfill', `7 days, ${c.name}: delivered`, `${n(c.delivered)} of ${n(c.records)} (${n(c.lost)} lost)`, '0 lost', check(c.lost === 0 && c.delivered === c.records)]);
    }
  }
  const s = r.simulator;
  if (s) rows.push(['5 simulator', 'directory audits served', `${n(s.recordsPerSecond)} rec/s (${n(s.records)} in ${s.seconds} s)`, 'not the bottleneck', e ? check(s.recordsPerSecond > Math.max(...e.runs.map((x) => x.plain.eventsPerSecond))) : '']);

  const head: Row = ['section', 'figure', 'measured', 'target', ''];
  const widths = head.map((_, i) => Math.max(...[head, ...rows].map((row) => row[i]!.length)));
  const line = (row: Row): string => row.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  const mc = r.machine;
  return [
    `entra-ingest bench (${r.mode}), ${r.startedAt}, ${Math.round(r.wallSeconds)} s`,
    `machine: ${mc.cpus} CPUs (${mc.cpuModel}), ${mc.memoryGb} GB, ${mc.platform}`,
    `versions: node ${mc.node}, ${mc.temporalCli}, ${Object.entries(mc.packages).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    '',
    line(head),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.map(line),
  ].join('\n');
}
