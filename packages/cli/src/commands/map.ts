import * as fs from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  ActivityStats, InputError, MappingError, createEventValidator, createSemanticChecker, describeFinding, mapRecord,
  parseRecords, serializeEvent, unexplained, SEMANTIC_ALLOW_LIST, type AllowedFinding, type EntraSource, type MapContext,
} from '@entra-ingest/ocsf';
import { SOURCE_NAMES, isDeltaSource } from '@entra-ingest/sources';
import { CommandFailure, UsageError } from '../errors';
import { parseIsoOption } from '../option-parsers';
import { writeParquetLayout } from './map-parquet';

const SOURCES: readonly EntraSource[] = SOURCE_NAMES;
const FLUSH_EVERY = 1000;
/** Findings printed one per line; the rest are counted in the summary (a whole tenant's page can repeat one). */
const FINDINGS_SHOWN = 20;

interface MapOptions {
  source: EntraSource;
  rawData?: boolean;
  tenantId?: string;
  validate?: boolean;
  strict?: boolean;
  observedAt?: string;
  stats?: boolean;
  format: 'ndjson' | 'parquet';
  out?: string;
  accountId: string;
  region: string;
  sourcePrefix: string;
}

/** The reviewed allow-list of semantic findings map stays silent about (tests pass their own). */
export function registerMapCommand(program: Command, allowList: readonly AllowedFinding[] = SEMANTIC_ALLOW_LIST): void {
  program
    .command('map')
    .description('map Graph records (a response page, a JSON array or NDJSON) to OCSF 1.8.0 events, as NDJSON on stdout')
    .argument('[file]', 'input file, or - for stdin', '-')
    .requiredOption('--source <source>', `record type: ${SOURCES.join(' | ')}`, parseSource)
    .option('--raw-data', 'add each source record as raw_data')
    .option('--tenant-id <id>', 'the Entra tenant id (metadata.tenant_uid, cloud.org.uid)')
    .option('--observed-at <iso>', 'delta inventories (users, devices): when the objects were read (default: now)', parseIsoOption('--observed-at'))
    .option('--validate', 'check every event against the OCSF 1.8.0 JSON Schema of its class')
    .option('--stats', 'when done, print to stderr how many events of each class and activity, and how many are Other')
    .option('--strict', 'fail (exit 1) on any OCSF semantic warning: deprecated attribute, label unlike its caption, missing recommended attribute, …')
    .option('--format <format>', 'ndjson (to stdout) | parquet (Security Lake layout under --out)', parseFormat, 'ndjson')
    .option('--out <dir>', 'parquet: the folder to write `ext/<source>/region=…/accountId=…/eventDay=…/*.parquet` under')
    .option('--account-id <id>', 'parquet: the accountId= partition (12 digits)', '000000000000')
    .option('--region <region>', 'parquet: the region= partition', 'us-east-1')
    .option('--source-prefix <name>', 'parquet: custom source names are <prefix>-<class-name>', 'entra')
    .action((file: string, opts: MapOptions) => runMap(file, opts, allowList));
}

function parseFormat(value: string): 'ndjson' | 'parquet' {
  if (value !== 'ndjson' && value !== 'parquet') throw new InvalidArgumentError(`--format must be ndjson or parquet, got "${value}"`);
  return value;
}

function parseSource(value: string): EntraSource {
  if (!(SOURCES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`--source must be one of ${SOURCES.join(', ')}, got "${value}"`);
  }
  return value as EntraSource;
}

function readInput(file: string): string {
  try {
    return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file === '-' ? 'stdin' : file}: ${(err as Error).message}`);
  }
}

async function runMap(file: string, opts: MapOptions, allowList: readonly AllowedFinding[]): Promise<void> {
  if (opts.format === 'parquet' && !opts.out) throw new UsageError('--format parquet needs --out DIR (the folder to write the Parquet files under)');
  if (!/^\d{12}$/.test(opts.accountId)) throw new UsageError(`--account-id must be 12 digits, got "${opts.accountId}"`);
  const parquet: Parameters<typeof writeParquetLayout>[0] = [];
  let records: unknown[];
  try {
    records = parseRecords(readInput(file));
  } catch (err) {
    if (err instanceof InputError) throw new UsageError(`${file === '-' ? 'stdin' : file}: ${err.message}`);
    throw err;
  }
  const ctx: MapContext = { tenantId: opts.tenantId, includeRawData: opts.rawData === true };
  // One observation time for the whole run, so every object of one read carries the same time.
  if (isDeltaSource(opts.source)) ctx.observedTime = opts.observedAt ? Date.parse(opts.observedAt) : Date.now();
  const validator = opts.validate ? createEventValidator() : undefined;
  const stats = opts.stats ? new ActivityStats() : undefined;
  // The OCSF server's semantic checks, as warnings on stderr; the reviewed allow-list (docs/mapping.md) is silent.
  const semantics = createSemanticChecker(allowList);
  const findingCounts = new Map<string, number>();
  let findings = 0;
  let eventsWithFindings = 0;
  let failures = 0;
  let lines: string[] = [];
  for (let i = 0; i < records.length; i++) {
    let event;
    try {
      event = mapRecord(opts.source, records[i], ctx);
    } catch (err) {
      if (!(err instanceof MappingError)) throw err;
      failures++;
      process.stderr.write(`record ${i}: cannot map: ${err.message}\n`);
      continue;
    }
    if (validator) {
      const result = validator.validate(event);
      if (!result.valid) {
        failures++;
        process.stderr.write(`record ${i}: invalid OCSF event: ${result.errors.join('; ')}\n`);
        continue;
      }
    }
    stats?.add(event);
    const found = unexplained(semantics.check(event));
    if (found.length) {
      eventsWithFindings++;
      for (const f of found) {
        if (findings++ < FINDINGS_SHOWN) process.stderr.write(`record ${i}: ${describeFinding(f)}\n`);
        const kind = `${f.code} ${f.path.replace(/\[\d+\]/g, '')}`;
        findingCounts.set(kind, (findingCounts.get(kind) ?? 0) + 1);
      }
    }
    if (opts.format === 'parquet') {
      // The same JSON the NDJSON output carries, so both formats hold exactly the same events.
      parquet.push(JSON.parse(serializeEvent(event)) as (typeof parquet)[number]);
      continue;
    }
    lines.push(serializeEvent(event));
    if (lines.length >= FLUSH_EVERY) {
      process.stdout.write(lines.join('\n') + '\n');
      lines = [];
    }
  }
  if (lines.length) process.stdout.write(lines.join('\n') + '\n');
  if (stats) process.stderr.write(stats.lines().join('\n') + '\n');
  if (findings) {
    const kinds = [...findingCounts].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${n}× ${kind}`).join(', ');
    process.stderr.write(`OCSF semantic check: ${findings} findings in ${eventsWithFindings} of ${records.length} events: ${kinds}\n`);
  }
  if (opts.format === 'parquet') {
    const layout = { accountId: opts.accountId, region: opts.region, sourcePrefix: opts.sourcePrefix, sources: {} };
    const files = await writeParquetLayout(parquet, opts.out!, layout);
    for (const f of files) process.stdout.write(`${f}\n`);
    process.stderr.write(`wrote ${parquet.length} events in ${files.length} Parquet file(s) under ${opts.out}\n`);
  }
  if (failures) throw new CommandFailure(`${failures} of ${records.length} records were not mapped`);
  if (opts.strict && findings) throw new CommandFailure(`--strict: ${findings} OCSF semantic findings in ${eventsWithFindings} events`);
}
