import crypto from 'node:crypto';
import path from 'node:path';
import { OCSF_CLASSES } from '@entra-ingest/ocsf';
import { type SecurityLakeLayout, ocsfEventsToParquet, securityLakeKey } from '@entra-ingest/sinks';
import { writeFileAtomic } from '@entra-ingest/store';

/**
 * `map --format parquet --out DIR`: the events as the Security Lake sink writes them — one Parquet file per class and
 * event day under `<location>/region=…/accountId=…/eventDay=…/` — but into a folder, so the output can be inspected
 * (pyarrow, DuckDB, Athena after an upload) without S3. A file's name is a hash of its event ids: mapping the same
 * input again replaces the same files.
 */
export async function writeParquetLayout(events: { class_uid: number; time: number; metadata: { uid: string } }[], outDir: string, layout: SecurityLakeLayout): Promise<string[]> {
  const groups = new Map<string, { className: string; dayMs: number; events: Record<string, unknown>[] }>();
  for (const e of events) {
    const className = OCSF_CLASSES[e.class_uid]?.name ?? `class_${e.class_uid}`;
    const dayMs = Math.floor(e.time / 86_400_000) * 86_400_000;
    const id = `${className}/${dayMs}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { className, dayMs, events: [] }));
    g.events.push(e as unknown as Record<string, unknown>);
  }
  const written: string[] = [];
  for (const g of groups.values()) {
    const hash = crypto.createHash('sha256').update(g.events.map((e) => (e.metadata as { uid: string }).uid).join('\n')).digest('hex').slice(0, 20);
    const key = securityLakeKey(layout, g.className, g.dayMs, `entra-ingest-map-${hash}.parquet`);
    const file = path.join(outDir, ...key.split('/'));
    await writeFileAtomic(file, ocsfEventsToParquet(g.className, g.events, 'entra-ingest map'));
    written.push(file);
  }
  return written.sort();
}
