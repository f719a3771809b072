import { SOURCE_NAMES } from '@entra-ingest/sources';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { type AppConfigInput, type Logger, parseConfigText } from '@entra-ingest/config';
import { locateTemporalCli, startDevServer, type RunningDevServer } from '@entra-ingest/dev-server';
import { demoTenant, startSimulator, type RunningSimulator } from '@entra-ingest/graph-simulator';
import { createIngestWorker, type IngestWorker } from '@entra-ingest/worker';
import { ensureCredentialWatch, ensureSchedules, type ScheduleSummary } from './schedules';
import { connectTemporal } from './temporal';

export interface DevStackOptions {
  projectRoot: string;
  dataDir: string;
  uiPort: number;
  temporalPort: number;
  simulatorPort: number;
  metricsPort?: number;
  eventsPerMinute: number;
  logger: Logger;
  /** Ctrl-C while starting: what has started is stopped and startDevStack rejects. */
  signal?: AbortSignal;
}

export interface DevStack {
  uiUrl?: string;
  temporalAddress: string;
  simulatorUrl: string;
  ocsfDir: string;
  configFile: string;
  schedules: ScheduleSummary[];
  worker: IngestWorker;
  running: Promise<void>;
  stop(): Promise<void>;
}

export const DEMO_FEED_ID = 'demo';

/** The demo feed's config: the built-in simulator as a custom cloud, the secret by file reference, the file sink. */
export function demoConfig(dataDir: string, simulatorUrl: string, tenantId: string, clientId: string, temporalAddress?: string): AppConfigInput {
  return {
    // Other commands find this file on their own (chooseConfigFile) and reach the dev server through it.
    ...(temporalAddress ? { temporal: { address: temporalAddress } } : {}),
    dataDir: '.',
    validateEvents: true,
    feeds: [
      {
        id: DEMO_FEED_ID,
        tenantId,
        clientId,
        credential: { clientSecret: { file: 'demo-client-secret' } },
        cloud: 'custom',
        loginUrl: simulatorUrl,
        graphUrl: simulatorUrl,
        caFile: 'simulator-ca.pem',
        // Every source of the registry: the demo shows each one's events under ocsf/.
        sources: Object.fromEntries(SOURCE_NAMES.map((s) => [s, { enabled: true }])),
        window: '1m',
        every: '1m',
        lag: '2m',
        sweeps: ['10m', '30m'],
        // Short, so the first catch-up (two sources, one window a minute) leaves Graph budget for a backfill soon.
        initialLookback: '10m',
        usersEvery: '5m',
        sinks: [{ type: 'file', id: 'file', root: 'ocsf' }],
      } as never,
    ],
  };
}

/** Brings up what the quick start promises: dev server + Web UI, simulator, worker, the demo feed's schedules. */
export async function startDevStack(opts: DevStackOptions): Promise<DevStack> {
  const log = opts.logger;
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const cli = locateTemporalCli({ projectRoot: opts.projectRoot, log: (l) => log.info(l) });
  const stops: (() => Promise<void>)[] = [];
  let stopped: Promise<void> | undefined;
  // Once, in reverse start order, however many callers (Ctrl-C, the worker ending, a failed start) ask.
  const stop = (): Promise<void> => (stopped ??= (async () => {
    for (const s of [...stops].reverse()) await s().catch((err: Error) => log.warn('stop failed', { error: err.message }));
  })());
  const checkpoint = (): void => {
    if (opts.signal?.aborted) throw new Error('stopped while starting');
  };
  try {
    log.info(`starting the Temporal dev server on 127.0.0.1:${opts.temporalPort} (data in ${opts.dataDir})`);
    const server: RunningDevServer = await startDevServer({
      cliPath: cli.path, port: opts.temporalPort, uiPort: opts.uiPort, dbFile: path.join(opts.dataDir, 'temporal.db'), signal: opts.signal,
      // A terminal's Ctrl-C would otherwise stop the server at once, while the worker still drains against it.
      ownProcessGroup: true,
    });
    stops.push(() => server.stop());
    checkpoint();

    // The demo secret is generated once per data dir and referenced by file, like a container secret mount.
    const secretFile = path.join(opts.dataDir, 'demo-client-secret');
    if (!fs.existsSync(secretFile)) fs.writeFileSync(secretFile, crypto.randomBytes(24).toString('base64url'), { mode: 0o600 });
    const secret = fs.readFileSync(secretFile, 'utf8');
    const tenant = demoTenant({ clientSecret: secret });
    log.info(`starting the Graph simulator on 127.0.0.1:${opts.simulatorPort}`);
    const simulator: RunningSimulator = await startSimulator({
      port: opts.simulatorPort,
      caOut: path.join(opts.dataDir, 'simulator-ca.pem'),
      tenants: [tenant],
      eventsPerMinute: opts.eventsPerMinute,
      historyDays: 1,
      logger: log.child('simulator'),
    });
    stops.push(() => simulator.close());
    checkpoint();

    const configFile = path.join(opts.dataDir, 'demo-feeds.yaml');
    const client = tenant.clients[0]!;
    const text = `# Written by "entra-ingest dev" for the built-in simulator; regenerated at every start.\n${stringify(demoConfig(opts.dataDir, simulator.url, tenant.tenantId, client.clientId, server.address))}`;
    fs.writeFileSync(configFile, text);
    const loaded = { config: parseConfigText(text, configFile), baseDir: opts.dataDir, source: configFile };

    process.env.TEMPORAL_ADDRESS = server.address;
    log.info('starting the worker (bundling the workflow code takes a few seconds)');
    const worker = await createIngestWorker({ loaded, address: server.address, metricsPort: opts.metricsPort, logger: log.child('worker'), shutdownGraceTime: '5s', signal: opts.signal });
    const running = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await running;
    });
    checkpoint();

    const t = await connectTemporal(loaded.config, loaded.baseDir);
    let schedules: ScheduleSummary[];
    try {
      schedules = await ensureSchedules(t.client, loaded.config.feeds[0]!, t.target.taskQueue, { triggerNow: true });
      await ensureCredentialWatch(t.client, loaded.config.feeds[0]!, t.target.taskQueue);
    } finally {
      await t.close();
    }
    return {
      uiUrl: server.uiUrl, temporalAddress: server.address, simulatorUrl: simulator.url, ocsfDir: path.join(opts.dataDir, 'ocsf'),
      configFile, schedules, worker, running, stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
