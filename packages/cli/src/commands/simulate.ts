import type { Command } from 'commander';
import { createLogger } from '@entra-ingest/config';
import { demoTenant, startSimulator, type FaultSettings } from '@entra-ingest/graph-simulator';
import { UsageError } from '../errors';
import { parseIntOption, parseNumberOption } from '../option-parsers';

interface SimulateOptions {
  port: number;
  host: string;
  seed: number;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  http?: boolean;
  caOut?: string;
  tokenLifetime?: number;
  throttle: boolean;
  historyDays: number;
  eventsPerMinute: number;
  bulk?: number;
  skiptokenTtl: number;
  fault5xx?: number;
  fault5xxRetryAfter?: number;
  faultReset?: number;
  faultSlow?: number;
  faultSlowMs?: number;
  faultMalformed?: number;
  faultTruncated?: number;
  faultForeignNextlink?: number;
  faultDuplicates?: number;
  faultRevoke?: number;
  unlicensed?: string[];
}

const probability = (name: string) => (value: string): number => {
  const n = parseNumberOption(name)(value);
  if (n > 1) throw new UsageError(`${name} must be a probability between 0 and 1, got "${value}"`);
  return n;
};

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('run the local Microsoft Graph + Entra token endpoint simulator (demo tenant, faults on demand)')
    .option('--port <port>', 'port to listen on (0 = any free port)', parseIntOption('--port'), 8443)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--seed <n>', 'seed of the generated tenant activity', parseIntOption('--seed'), 1)
    .option('--tenant-id <id>', 'the demo tenant id')
    .option('--client-id <id>', 'the demo app (client) id')
    .option('--client-secret <secret>', 'the demo app client secret')
    .option('--http', 'plain HTTP instead of HTTPS with a generated CA')
    .option('--ca-out <file>', 'where to write the CA certificate (default: a temporary file)')
    .option('--token-lifetime <seconds>', 'access token lifetime (default: 60-90 min at random, like Entra)', parseIntOption('--token-lifetime', 1))
    .option('--no-throttle', 'turn off Graph reports throttling (raw-speed benchmarks)')
    .option('--history-days <n>', 'days of history before now (max 30)', parseIntOption('--history-days'), 7)
    .option('--events-per-minute <n>', 'directory audits per minute per tenant', parseNumberOption('--events-per-minute'), 30)
    .option('--bulk <n>', 'instead: N directory audits spread over the history', parseIntOption('--bulk', 1))
    .option('--skiptoken-ttl <seconds>', 'how long a $skiptoken stays valid', parseIntOption('--skiptoken-ttl', 1), 300)
    .option('--fault-5xx <p>', 'probability of 500/502/503/504 without Retry-After', probability('--fault-5xx'))
    .option('--fault-5xx-retry-after <p>', 'probability of 503/500 with Retry-After', probability('--fault-5xx-retry-after'))
    .option('--fault-reset <p>', 'probability of a connection reset mid-body', probability('--fault-reset'))
    .option('--fault-slow <p>', 'probability of a slow response', probability('--fault-slow'))
    .option('--fault-slow-ms <ms>', 'how slow a slow response is', parseIntOption('--fault-slow-ms'))
    .option('--fault-malformed <p>', 'probability of malformed JSON', probability('--fault-malformed'))
    .option('--fault-truncated <p>', 'probability of a truncated page', probability('--fault-truncated'))
    .option('--fault-foreign-nextlink <p>', 'probability of a nextLink to a foreign host', probability('--fault-foreign-nextlink'))
    .option('--fault-duplicates <p>', 'probability of records repeated across pages', probability('--fault-duplicates'))
    .option('--fault-revoke <p>', 'probability of a 401 mid-pagination (token revoked)', probability('--fault-revoke'))
    .option('--unlicensed <tenantId>', 'treat a tenant as unlicensed (403 on the reports); repeatable', collect)
    .action(async (opts: SimulateOptions) => {
      if ((opts.tenantId && !/^[0-9a-f-]{36}$/i.test(opts.tenantId)) || (opts.clientId && !/^[0-9a-f-]{36}$/i.test(opts.clientId))) {
        throw new UsageError('--tenant-id and --client-id must be GUIDs like 7f3e2a1b-4c5d-4e6f-8a9b-0c1d2e3f4a5b');
      }
      const faults: Partial<FaultSettings> = {};
      const set = <K extends keyof FaultSettings>(k: K, v: FaultSettings[K] | undefined): void => {
        if (v !== undefined) faults[k] = v;
      };
      set('http5xx', opts.fault5xx);
      set('http5xxWithRetryAfter', opts.fault5xxRetryAfter);
      set('resetMidBody', opts.faultReset);
      set('slowResponse', opts.faultSlow);
      set('slowResponseMs', opts.faultSlowMs);
      set('malformedJson', opts.faultMalformed);
      set('truncatedPage', opts.faultTruncated);
      set('foreignNextLink', opts.faultForeignNextlink);
      set('duplicateAcrossPages', opts.faultDuplicates);
      set('revokeTokenMidPagination', opts.faultRevoke);
      set('unlicensedTenants', opts.unlicensed);
      const sim = await startSimulator({
        host: opts.host,
        port: opts.port,
        http: opts.http,
        caOut: opts.caOut,
        seed: opts.seed,
        tenants: [demoTenant({ tenantId: opts.tenantId, clientId: opts.clientId, clientSecret: opts.clientSecret })],
        tokenLifetimeSeconds: opts.tokenLifetime,
        throttle: { enabled: opts.throttle },
        historyDays: opts.historyDays,
        eventsPerMinute: opts.eventsPerMinute,
        bulk: opts.bulk,
        skiptokenTtlSeconds: opts.skiptokenTtl,
        faults,
        logger: createLogger('graph-simulator'),
      });
      process.stdout.write(`Graph simulator listening on ${sim.url}${sim.caPath ? ` (CA: ${sim.caPath})` : ''}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await sim.close();
    });
}
