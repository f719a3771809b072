import { type FeedConfig, type LoadedConfig, resolveConnection, resolveDataDir, silentLogger } from '@entra-ingest/config';
import { GraphClient } from '@entra-ingest/graph';
import { OCSF_CLASSES, createEventValidator, mapRecord, recordId, recordTime, serializeEvent } from '@entra-ingest/ocsf';
import { createSink, type Sink } from '@entra-ingest/sinks';
import { PartCutter, type PendingPart } from '@entra-ingest/worker';
import { type TimeWindow } from '@entra-ingest/workflows';

export interface PlainResult {
  windows: number;
  pages: number;
  records: number;
  events: number;
  deadLetters: number;
  seconds: number;
}

/**
 * The baseline without Temporal: for each window, page Graph with the same GraphClient, keep the records the window
 * owns once, map, validate and serialize them, and write the same NDJSON parts through the same file sink — in
 * memory, no claim checks, no manifest, no retries beyond the client's own. `concurrency` windows at a time, like the
 * backfill.
 */
export async function runPlainLoop(loaded: LoadedConfig, windows: TimeWindow[], concurrency: number): Promise<PlainResult> {
  const feed: FeedConfig = loaded.config.feeds[0]!;
  const graph = new GraphClient({ connection: resolveConnection(feed, loaded.baseDir), rateLimit: { requests: feed.rateLimit.requests, perMs: feed.rateLimit.per } });
  const sinks = feed.sinks.map((s) => createSink(s, { dataDir: resolveDataDir(loaded), baseDir: loaded.baseDir, resolveSecret: () => '', logger: silentLogger }));
  const validator = loaded.config.validateEvents ? createEventValidator() : undefined;
  const totals: PlainResult = { windows: windows.length, pages: 0, records: 0, events: 0, deadLetters: 0, seconds: 0 };
  const started = process.hrtime.bigint();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < windows.length) {
      const w = windows[next++]!;
      await readWindow(graph, sinks, validator, feed, w, totals);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, windows.length) }, lane));
  totals.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await graph.close();
  return totals;
}

async function readWindow(
  graph: GraphClient, sinks: Sink[], validator: ReturnType<typeof createEventValidator> | undefined, feed: FeedConfig, w: TimeWindow, totals: PlainResult,
): Promise<void> {
  const source = 'directoryAudits' as const;
  const startMs = Date.parse(w.start);
  const endMs = Date.parse(w.end);
  const seen = new Set<string>();
  // The worker's own part cutter, so both paths cut the same batches and write the same files.
  const cutter = new PartCutter();
  const flush = async (p: PendingPart): Promise<void> => {
    const recordIds = p.ids.map(([id]) => id);
    const batch = { feed: feed.id, source, windowStart: w.start, pass: 0, classUid: p.classUid, className: OCSF_CLASSES[p.classUid]?.name ?? `class_${p.classUid}`, part: p.part, events: p.lines, recordIds };
    for (const sink of sinks) await sink.deliver(batch);
    totals.events += p.lines.length;
  };
  for await (const page of graph.windowPages({ source, from: w.start, to: w.end })) {
    totals.pages++;
    totals.records += page.records.length;
    for (const record of page.records) {
      const id = recordId(source, record);
      const t = recordTime(source, record);
      if (id === undefined || t === undefined) {
        totals.deadLetters++;
        continue;
      }
      if (t < startMs || t >= endMs || seen.has(id)) continue;
      seen.add(id);
      let event;
      try {
        event = mapRecord(source, record, { tenantId: feed.tenantId });
      } catch {
        totals.deadLetters++;
        continue;
      }
      if (validator && !validator.validate(event).valid) {
        totals.deadLetters++;
        continue;
      }
      // The plain loop keeps no record index: the bucket is not used.
      const full = cutter.add({ classUid: event.class_uid, line: serializeEvent(event), timeMs: event.time, id, bucket: '' });
      if (full) await flush(full);
    }
  }
  for (const p of cutter.rest()) await flush(p);
}
