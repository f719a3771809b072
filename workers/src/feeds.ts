import crypto from 'node:crypto';
import {
  type FeedConfig, type LoadedConfig, type Logger, enabledSources, resolveConnection, resolveDataDir, resolveSecret, type SecretRef,
} from '@entra-ingest/config';
import { GraphClient, getTokenProvider, type TokenProvider } from '@entra-ingest/graph';
import { createSink, type Sink } from '@entra-ingest/sinks';
import { Agent, type Dispatcher } from 'undici';
import type { FeedSettings } from '@entra-ingest/workflows';
import type { IngestMetrics } from './metrics';

/**
 * Everything the worker holds for one feed. Secrets are read from their reference on every use, so a rotated secret
 * (new env value or file content) is picked up without a restart; Graph clients are cached per credential.
 */
export class FeedRuntime {
  private clients = new Map<string, GraphClient>();
  private sinkCache?: Sink[];
  private agent?: Agent;

  constructor(readonly config: FeedConfig, private readonly loaded: LoadedConfig, private readonly logger: Logger, private readonly metrics?: IngestMetrics) {}

  get id(): string {
    return this.config.id;
  }

  settings(): FeedSettings {
    const f = this.config;
    return {
      feed: f.id, tenantId: f.tenantId, sources: enabledSources(f), windowMs: f.window, everyMs: f.every, lagMs: f.lag, sweepDelaysMs: f.sweeps,
      initialLookbackMs: f.initialLookback, maxWindowsPerRun: f.maxWindowsPerRun, retentionDays: f.retentionDays,
      usersEveryMs: f.usersEvery,
    };
  }

  /** Reads a secret reference now, relative files against the config's folder (rotations are picked up at once). */
  secret(ref: SecretRef): string {
    return resolveSecret(ref, this.loaded.baseDir);
  }

  /** The token provider for the feed's current credential (msal's cache lives in it, in this process only). */
  tokenProvider(): TokenProvider {
    return getTokenProvider(resolveConnection(this.config, this.loaded.baseDir));
  }

  /** A hash of the feed's current connection and credential: changes when a secret is rotated or fixed. */
  credentialFingerprint(): string {
    return crypto.createHash('sha256').update(JSON.stringify(resolveConnection(this.config, this.loaded.baseDir))).digest('hex');
  }

  /** The Graph client for the feed's current credential. */
  graph(): GraphClient {
    const connection = resolveConnection(this.config, this.loaded.baseDir);
    const fingerprint = crypto.createHash('sha256').update(JSON.stringify(connection)).digest('hex');
    let client = this.clients.get(fingerprint);
    if (!client) {
      for (const old of this.clients.values()) void old.close();
      this.clients.clear();
      client = new GraphClient({
        connection,
        tokenProvider: getTokenProvider(connection),
        logger: this.logger.child('graph'),
        rateLimit: { requests: this.config.rateLimit.requests, perMs: this.config.rateLimit.per },
        // Retries live in Temporal's retry policy (on the tenant's rate-limited queue): the client fails fast, and a
        // Retry-After becomes the activity's next retry delay (failures.ts), so no activity sleeps into its timeout.
        maxTransientRetries: 0,
        maxInlineThrottleWaits: 0,
        onEvent: (e) => {
          if (e.kind === 'response') this.metrics?.observeGraphResponse(this.config.id, e.resource, e.status, e.durationMs);
        },
      });
      this.clients.set(fingerprint, client);
    }
    return client;
  }

  /** An HTTP dispatcher trusting the feed's extra CA, for the few direct calls outside the Graph client. */
  dispatcher(): Dispatcher {
    this.agent ??= new Agent({ connect: { ca: resolveConnection(this.config, this.loaded.baseDir).caPem } });
    return this.agent;
  }

  sinks(): Sink[] {
    const dataDir = resolveDataDir(this.loaded);
    this.sinkCache ??= this.config.sinks.map((s) =>
      createSink(s, { dataDir, baseDir: this.loaded.baseDir, resolveSecret: (ref) => resolveSecret(ref, this.loaded.baseDir), logger: this.logger.child(`sink.${s.id}`) }),
    );
    return this.sinkCache;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
    await Promise.all((this.sinkCache ?? []).map((s) => s.close()));
    await this.agent?.close();
  }
}

export class FeedRegistry {
  private readonly feeds = new Map<string, FeedRuntime>();
  readonly dataDir: string;

  constructor(readonly loaded: LoadedConfig, logger: Logger, metrics?: IngestMetrics) {
    this.dataDir = resolveDataDir(loaded);
    for (const f of loaded.config.feeds) this.feeds.set(f.id, new FeedRuntime(f, loaded, logger.child(`feed.${f.id}`), metrics));
  }

  get(id: string): FeedRuntime | undefined {
    return this.feeds.get(id);
  }

  ids(): string[] {
    return [...this.feeds.keys()];
  }

  async close(): Promise<void> {
    await Promise.all([...this.feeds.values()].map((f) => f.close()));
  }
}
