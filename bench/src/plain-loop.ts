import { type FeedConfig, type LoadedConfig, resolveConnection, resolveDataDir, silentLogger } from '@entra-ingest/config';
import { GraphClient } from '@entra-ingest/graph';
import { OCSF_CLASSES, createEventValidator, mapRecord, recordId, recordTime, serializeEvent } from '@entra-ingest/ocsf';
import { createSink, type Sink } from '@entra-ingest/sinks';
import { type TimeWindow } from '@entra-ingest/workflows';

/** Same part size as the worker's delivery, so both paths cut the same batches and write the same files. */
const EVENTS_PER_PART = 10_000;

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
  const lines = new Map<number, string[]>();
  // The record id of each line: the production sinks name a batch by its record ids (batchContentKey).
  const ids = new Map<number, string[]>();
  const partNo = new Map<number, number>();
  const flush = async (classUid: number): Promise<void> => {
    const events = lines.get(classUid);
    if (!events?.length) return;
    const part = partNo.get(classUid) ?? 0;
    partNo.set(classUid, part + 1);
    const recordIds = ids.get(classUid) ?? [];
    lines.set(classUid, []);
    ids.set(classUid, []);
    const batch = { feed: feed.id, source, windowStart: w.start, pass: 0, classUid, className: OCSF_CLASSES[classUid]?.name ?? `class_${classUid}`, part, events, recordIds };
    for (const sink of sinks) await sink.deliver(batch);
    totals.events += events.length;
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
      let classLines = lines.get(event.class_uid);
      if (!classLines) lines.set(event.class_uid, (classLines = []));
      classLines.push(serializeEvent(event));
      let classIds = ids.get(event.class_uid);
      if (!classIds) ids.set(event.class_uid, (classIds = []));
      classIds.push(id);
      if (classLines.length >= EVENTS_PER_PART) await flush(event.class_uid);
    }
  }
  for (const classUid of [...lines.keys()].sort((a, b) => a - b)) await flush(classUid);
}
