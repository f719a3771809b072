import { parquetWriteBuffer } from 'hyparquet-writer';
import { type ParquetNode, parquetColumnsFor } from './ocsf-parquet-schema';

/**
 * Security Lake's Parquet guidance: row groups of at most 256 MB compressed, data pages of about 1 MB uncompressed.
 * A batch is one window's events of one class (a few MB), so a file is normally one row group; the row cap only
 * bounds memory for very large batches.
 */
export const PARQUET_LIMITS = { maxRowGroupRows: 100_000, dataPageBytes: 1024 * 1024 } as const;

type SchemaElement = Exclude<Parameters<typeof parquetWriteBuffer>[0]['schema'], undefined>[number];

const LEAF: Record<Extract<ParquetNode, { kind: 'leaf' }>['type'], Partial<SchemaElement>> = {
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  json: { type: 'BYTE_ARRAY', converted_type: 'JSON' },
  int64: { type: 'INT64' },
  double: { type: 'DOUBLE' },
  boolean: { type: 'BOOLEAN' },
  timestamp: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } },
};

/** The flat Parquet schema: groups with their child count, lists in the standard three levels (list / element). */
export function parquetSchemaElements(columns: ParquetNode[]): SchemaElement[] {
  const out: SchemaElement[] = [{ name: 'schema', num_children: columns.length }];
  const add = (n: ParquetNode, name = n.name): void => {
    if (n.kind === 'struct') {
      out.push({ name, repetition_type: 'OPTIONAL', num_children: n.fields.length });
      n.fields.forEach((f) => add(f));
    } else if (n.kind === 'list') {
      out.push({ name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 });
      out.push({ name: 'list', repetition_type: 'REPEATED', num_children: 1 });
      add(n.element, 'element');
    } else {
      out.push({ name, repetition_type: 'OPTIONAL', ...LEAF[n.type] } as SchemaElement);
    }
  };
  columns.forEach((c) => add(c));
  return out;
}

/** A value in the shape the writer takes: every struct field present (null when absent), int64 as bigint. */
function shape(node: ParquetNode, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (node.kind) {
    case 'struct': {
      const o = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of node.fields) out[f.name] = shape(f, o[f.name]);
      return out;
    }
    case 'list':
      return (value as unknown[]).map((v) => shape(node.element, v));
    case 'leaf':
      if (node.type === 'int64') return BigInt(value as number);
      if (node.type === 'double') return Number(value);
      return value; // json: the writer serializes it; timestamp: milliseconds
  }
}

/**
 * OCSF events of one class as one Parquet file (snappy): columns derived from the class's OCSF JSON Schema, nested
 * objects as structs, arrays as lists. Deterministic: the same events give the same bytes, so a repeated delivery
 * writes an identical object. `writer` goes into the file's created_by.
 */
export function ocsfEventsToParquet(className: string, events: Record<string, unknown>[], writer: string): Buffer {
  const columns = parquetColumnsFor(className, events);
  const bytes = parquetWriteBuffer({
    schema: parquetSchemaElements(columns),
    columnData: columns.map((c) => ({ name: c.name, data: events.map((e) => shape(c, e[c.name])) })),
    codec: 'SNAPPY',
    rowGroupSize: PARQUET_LIMITS.maxRowGroupRows,
    pageSize: PARQUET_LIMITS.dataPageBytes,
    createdBy: writer,
    kvMetadata: [{ key: 'ocsf.class_name', value: className }],
  });
  return Buffer.from(bytes);
}
