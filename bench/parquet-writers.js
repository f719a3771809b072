#!/usr/bin/env node
// `node bench/parquet-writers.js [events.ndjson] [copies]`: the small benchmark that chose the Security Lake sink's
// Parquet writer. The same OCSF events (one class per file, the columns the sink derives from the OCSF JSON Schema,
// nested objects as structs and lists) written by parquet-wasm (with apache-arrow) and by hyparquet-writer; prints
// time per 10k events, bytes and peak RSS growth for each. Input: NDJSON of OCSF events (`entra-ingest map`).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const { ocsfEventsToParquet } = require(path.join(root, 'packages/sinks/dist/parquet/write-parquet'));
const { parquetColumnsFor } = require(path.join(root, 'packages/sinks/dist/parquet/ocsf-parquet-schema'));
const { OCSF_CLASSES } = require(path.join(root, 'packages/ocsf/dist'));

const [file, copiesText] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/parquet-writers.js EVENTS.ndjson [copies]\n');
  process.exit(2);
}
const copies = Number(copiesText ?? 20);
const base = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const byClass = new Map();
for (let c = 0; c < copies; c++) {
  for (const e of base) {
    const name = OCSF_CLASSES[e.class_uid].name;
    if (!byClass.has(name)) byClass.set(name, []);
    byClass.get(name).push({ ...e, metadata: { ...e.metadata, uid: `${e.metadata.uid}-${c}` } });
  }
}

/** hyparquet-writer takes a flat Parquet schema (groups with num_children, 3-level lists) and row values. */
function hyparquetSchema(nodes) {
  const out = [{ name: 'schema', num_children: nodes.length }];
  const add = (n, name = n.name) => {
    if (n.kind === 'struct') {
      out.push({ name, repetition_type: 'OPTIONAL', num_children: n.fields.length });
      n.fields.forEach((f) => add(f));
    } else if (n.kind === 'list') {
      out.push({ name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 });
      out.push({ name: 'list', repetition_type: 'REPEATED', num_children: 1 });
      add(n.element, 'element');
    } else {
      const leaf = {
        string: { type: 'BYTE_ARRAY', converted_type: 'UTF8' }, json: { type: 'BYTE_ARRAY', converted_type: 'JSON' },
        int64: { type: 'INT64' }, double: { type: 'DOUBLE' }, boolean: { type: 'BOOLEAN' },
        timestamp: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } },
      }[n.type];
      out.push({ name, repetition_type: 'OPTIONAL', ...leaf });
    }
  };
  nodes.forEach((n) => add(n));
  return out;
}
function hyShape(n, v) {
  if (v === undefined || v === null) return null;
  if (n.kind === 'struct') return Object.fromEntries(n.fields.map((f) => [f.name, hyShape(f, v[f.name])]));
  if (n.kind === 'list') return v.map((x) => hyShape(n.element, x));
  if (n.type === 'int64') return BigInt(v);
  return v;
}

async function main() {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const writers = {
    'parquet-wasm+arrow (zstd)': (name, events) => ocsfEventsToParquet(name, events, 'zstd', { ocsfVersion: '1.8.0', className: name, writer: 'bench' }),
    'parquet-wasm+arrow (snappy)': (name, events) => ocsfEventsToParquet(name, events, 'snappy', { ocsfVersion: '1.8.0', className: name, writer: 'bench' }),
    'hyparquet-writer (snappy)': (name, events) => {
      const cols = parquetColumnsFor(name, events);
      return Buffer.from(parquetWriteBuffer({
        schema: hyparquetSchema(cols),
        columnData: cols.map((c) => ({ name: c.name, data: events.map((e) => hyShape(c, e[c.name])) })),
        codec: 'SNAPPY', rowGroupSize: 100_000,
      }));
    },
  };
  const total = [...byClass.values()].reduce((n, l) => n + l.length, 0);
  process.stdout.write(`${total} events in ${byClass.size} classes (${base.length} distinct x ${copies})\n`);
  for (const [label, write] of Object.entries(writers)) {
    for (const [name, events] of byClass) write(name, events.slice(0, 200)); // warm-up
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const t0 = process.hrtime.bigint();
    let bytes = 0;
    for (const [name, events] of byClass) {
      bytes += write(name, events).length;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    process.stdout.write(`${label}: ${(ms / total * 10_000).toFixed(0)} ms per 10k events, ${(bytes / 1024).toFixed(0)} KiB, peak RSS +${((peak - rss0) / 1048576).toFixed(0)} MiB\n`);
  }
}
main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
