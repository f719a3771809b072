import * as fs from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  ActivityStats, InputError, MappingError, createEventValidator, mapRecord, parseRecords, serializeEvent, type EntraSource, type MapContext,
} from '@entra-ingest/ocsf';
import { CommandFailure, UsageError } from '../errors';
import { parseIsoOption } from '../option-parsers';

const SOURCES: readonly EntraSource[] = ['directoryAudits', 'signIns', 'users'];
const FLUSH_EVERY = 1000;

interface MapOptions {
  source: EntraSource;
  rawData?: boolean;
  tenantId?: string;
  validate?: boolean;
  observedAt?: string;
  stats?: boolean;
}

export function registerMapCommand(program: Command): void {
  program
    .command('map')
    .description('map Graph records (a response page, a JSON array or NDJSON) to OCSF 1.8.0 events, as NDJSON on stdout')
    .argument('[file]', 'input file, or - for stdin', '-')
    .requiredOption('--source <source>', `record type: ${SOURCES.join(' | ')}`, parseSource)
    .option('--raw-data', 'add each source record as raw_data')
    .option('--tenant-id <id>', 'the Entra tenant id (metadata.tenant_uid, cloud.org.uid)')
    .option('--observed-at <iso>', 'users only: when the users were read (default: now)', parseIsoOption('--observed-at'))
    .option('--validate', 'check every event against the OCSF 1.8.0 JSON Schema of its class')
    .option('--stats', 'when done, print to stderr how many events of each class and activity, and how many are Other')
    .action((file: string, opts: MapOptions) => runMap(file, opts));
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

function runMap(file: string, opts: MapOptions): void {
  let records: unknown[];
  try {
    records = parseRecords(readInput(file));
  } catch (err) {
    if (err instanceof InputError) throw new UsageError(`${file === '-' ? 'stdin' : file}: ${err.message}`);
    throw err;
  }
  const ctx: MapContext = { tenantId: opts.tenantId, includeRawData: opts.rawData === true };
  // One observation time for the whole run, so every user of one read carries the same time.
  if (opts.source === 'users') ctx.observedTime = opts.observedAt ? Date.parse(opts.observedAt) : Date.now();
  const validator = opts.validate ? createEventValidator() : undefined;
  const stats = opts.stats ? new ActivityStats() : undefined;
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
    lines.push(serializeEvent(event));
    if (lines.length >= FLUSH_EVERY) {
      process.stdout.write(lines.join('\n') + '\n');
      lines = [];
    }
  }
  if (lines.length) process.stdout.write(lines.join('\n') + '\n');
  if (stats) process.stderr.write(stats.lines().join('\n') + '\n');
  if (failures) throw new CommandFailure(`${failures} of ${records.length} records were not mapped`);
}
