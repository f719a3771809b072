import { z } from 'zod';
import { parseDuration } from './duration';
import { LOG_SOURCES, SOURCE_NAMES, type LogSourceName, type SourceName } from '@entra-ingest/sources';
import { isHttpsOrLoopback } from './loopback';
import { S3ConnectionShape, StoreSchema, checkS3Endpoint, s3Prefix } from './s3';
import { SecretRefSchema } from './secrets';

/** Feed ids become parts of workflow ids and file names: keep them to a safe alphabet. */
export const FEED_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** The sources (from the registry): `sources.<name>` in a feed. */
export const SOURCES: readonly SourceName[] = SOURCE_NAMES;
export type Source = SourceName;
/** Sources read in time windows (and backfilled); the others are delta inventories. */
export const WINDOWED_SOURCES: readonly LogSourceName[] = LOG_SOURCES;
export type WindowedSource = LogSourceName;

/** `value` as milliseconds, or an issue saying it must be `what`. */
function toDuration(value: string, ctx: z.RefinementCtx, what: string): number {
  try {
    return parseDuration(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: `must be ${what}, got "${value}"` });
    return z.NEVER;
  }
}

const duration = (example: string) => z.string().transform((value, ctx) => toDuration(value, ctx, `a duration like ${example}`));

/** Claims a window holds without delivering for this long are taken over (config `claimLease`). */
const DEFAULT_CLAIM_LEASE = '1h';

// Plain http would carry tokens and events in clear; loopback (the simulator, a local collector) is the exception.
const httpUrl = z
  .string()
  .url('must be a URL')
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  .refine((u) => !URL.canParse(u) || isHttpsOrLoopback(u), 'must be an https URL (plain http is allowed only to localhost/127.0.0.1/::1)');

/**
 * Header values (tokens, API keys) and webhook URLs (the URL is the credential) are secrets: by reference only, so
 * the config file holds no secret and can be shared, reviewed and committed.
 */
const secretValue = (what: string) =>
  z.unknown().superRefine((value, ctx) => {
    if (typeof value === 'string') {
      ctx.addIssue({ code: 'custom', message: `${what} must be a secret reference, not written inline: { secret: { env: NAME } } or { secret: { file: PATH } }` });
    }
  }).pipe(z.object({ secret: SecretRefSchema }).strict());

const HeaderValueSchema = secretValue('a header value');

export const FileSinkSchema = z
  .object({
    type: z.literal('file'),
    id: z.string().regex(FEED_ID_PATTERN).default('file'),
    /** Root folder; relative to the data dir. Default `<dataDir>/ocsf`. */
    root: z.string().min(1).optional(),
    gzip: z.boolean().default(false),
  })
  .strict();

export const HttpSinkSchema = z
  .object({
    type: z.literal('http'),
    id: z.string().regex(FEED_ID_PATTERN).default('http'),
    url: httpUrl,
    format: z.enum(['ndjson', 'json-array', 'splunk-hec']).default('ndjson'),
    gzip: z.boolean().default(false),
    batchSize: z.number().int().min(1).max(100_000).default(500),
    headers: z.record(z.string(), HeaderValueSchema).default({}),
    timeout: duration('30s').default(30_000),
    /** Ignored (kept so older configs load): retries are the delivery activity's, one layer. */
    maxRetries: z.number().int().min(0).max(20).optional(),
    caFile: z.string().optional(),
    splunk: z.object({ index: z.string().optional(), sourcetype: z.string().default('ocsf'), source: z.string().optional() }).strict().optional(),
  })
  .strict();

/** NDJSON objects in a bucket, keyed like the file sink's files: `<prefix>/<className>/<yyyy>/<mm>/<dd>/<name>.ndjson.gz`. */
export const S3SinkSchema = z
  .object({
    type: z.literal('s3'),
    id: z.string().regex(FEED_ID_PATTERN).default('s3'),
    ...S3ConnectionShape,
    prefix: s3Prefix.default('ocsf'),
    gzip: z.boolean().default(true),
  })
  .strict()
  .superRefine(checkS3Endpoint);

/**
 * Amazon Security Lake custom sources: Parquet, one custom source per OCSF class, under
 * `<location>/region=<region>/accountId=<accountId>/eventDay=<yyyymmdd>/`. `sources` maps a class name
 * (e.g. `authentication`) to the location Security Lake assigned its custom source (e.g. `ext/entra-authentication/1.0`);
 * a class not listed goes to `ext/<sourcePrefix>-<class-name>`.
 */
export const SecurityLakeSinkSchema = z
  .object({
    type: z.literal('securityLake'),
    id: z.string().regex(FEED_ID_PATTERN).default('security-lake'),
    ...S3ConnectionShape,
    /** The AWS account the events are about (the `accountId=` partition): 12 digits. */
    accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
    /** The `region=` partition; the bucket's region when absent. */
    eventRegion: z.string().min(1).optional(),
    sourcePrefix: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, "_" or "-"').default('entra'),
    sources: z.record(z.string().regex(/^[a-z_]+$/, 'must be an OCSF class name like authentication'), s3Prefix).default({}),
  })
  .strict()
  .superRefine(checkS3Endpoint);

export const SinkSchema = z.discriminatedUnion('type', [FileSinkSchema, HttpSinkSchema, S3SinkSchema, SecurityLakeSinkSchema]);
export type SinkConfig = z.infer<typeof SinkSchema>;
export type FileSinkConfig = z.infer<typeof FileSinkSchema>;
export type HttpSinkConfig = z.infer<typeof HttpSinkSchema>;
export type S3SinkConfig = z.infer<typeof S3SinkSchema>;
export type SecurityLakeSinkConfig = z.infer<typeof SecurityLakeSinkSchema>;

export const CredentialSchema = z.union([
  z.object({ clientSecret: SecretRefSchema }).strict(),
  z.object({ certificate: SecretRefSchema, privateKey: SecretRefSchema }).strict(),
]);

export const NotifierSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('log') }).strict(),
  /** The URL is resolved in the worker and must be https (or http to loopback). */
  z.object({ type: z.literal('webhook'), url: secretValue('a webhook URL'), format: z.enum(['json', 'slack', 'teams']).default('json') }).strict(),
]);
export type NotifierConfig = z.infer<typeof NotifierSchema>;

const SourceSettingsSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Sign-ins only: the beta endpoint with non-interactive, service principal and managed identity sign-ins. */
    beta: z.boolean().default(false),
  })
  .strict();

export const FeedSchema = z
  .object({
    id: z.string().regex(FEED_ID_PATTERN, 'must be lower-case letters, digits, "-" or "_" (at most 63), starting with a letter or digit'),
    tenantId: z.string().min(1),
    clientId: z.string().min(1),
    credential: CredentialSchema,
    cloud: z.enum(['global', 'usgov', 'usgovdod', 'china', 'custom']).default('global'),
    loginUrl: httpUrl.optional(),
    graphUrl: httpUrl.optional(),
    /** Extra CA certificate (PEM file) to trust for login and Graph, e.g. the simulator's. */
    caFile: z.string().optional(),
    sources: z
      .object(Object.fromEntries(SOURCE_NAMES.map((s) => [s, SourceSettingsSchema.optional()])) as Record<SourceName, z.ZodOptional<typeof SourceSettingsSchema>>)
      .strict()
      .superRefine((sources, ctx) => {
        for (const [name, settings] of Object.entries(sources)) {
          if (settings?.beta && name !== 'signIns') ctx.addIssue({ code: 'custom', path: [name, 'beta'], message: 'beta applies to signIns only' });
        }
      })
      .default({ directoryAudits: { enabled: true, beta: false } }),
    /** Size of one ingestion window. */
    window: duration('5m').default(5 * 60_000),
    /** How often the schedule runs. */
    every: duration('5m').default(5 * 60_000),
    /** How long after a window closes before it is first read (Graph makes records visible minutes late). */
    lag: duration('3m').default(3 * 60_000),
    /** Each window is read again this long after it closed, delivering only records that appeared late. */
    sweeps: z.array(duration('30m')).default([30 * 60_000, 6 * 3_600_000]),
    /** Where a brand-new feed starts: this long before now. */
    initialLookback: duration('1h').default(3_600_000),
    /** Windows one scheduled run starts at most (catch-up after downtime continues on the next runs). */
    maxWindowsPerRun: z.number().int().min(1).max(1000).default(48),
    /** How often the delta inventories (users, devices) are synchronised. */
    usersEvery: duration('1h').default(3_600_000),
    /** Graph's retention for audit and sign-in logs (30 days with P1/P2, 7 without); a source keeping less caps it. */
    retentionDays: z.number().int().min(1).max(30).default(30),
    /** Client-side limit per tenant, shared with Graph's: 5 requests per 10 s for the reports APIs. */
    rateLimit: z.object({ requests: z.number().int().min(1), per: duration('10s') }).strict().default({ requests: 5, per: 10_000 }),
    sinks: z.array(SinkSchema).min(1, 'needs at least one sink').default([{ type: 'file', id: 'file', gzip: false }]),
    credentialExpiry: z
      .object({
        reminderDays: z.array(z.number().int().min(0)).default([30, 14, 7, 3, 1]),
        /** Used when the app cannot read its own registration (no Application.Read.All). */
        expiresAt: z.string().datetime({ offset: true }).optional(),
        notifiers: z.array(NotifierSchema).default([{ type: 'log' }]),
      })
      .strict()
      .default({ reminderDays: [30, 14, 7, 3, 1], notifiers: [{ type: 'log' }] }),
  })
  .strict()
  .superRefine((feed, ctx) => {
    if (feed.cloud === 'custom' && (!feed.loginUrl || !feed.graphUrl)) {
      ctx.addIssue({ code: 'custom', path: ['cloud'], message: 'cloud "custom" needs loginUrl and graphUrl' });
    }
    if (feed.lag < 0 || feed.window < 1000) ctx.addIssue({ code: 'custom', path: ['window'], message: 'must be at least 1s' });
    const ids = feed.sinks.map((s) => s.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) ctx.addIssue({ code: 'custom', path: ['sinks'], message: `sink id "${dup}" is used twice; give each sink its own id` });
  });
export type FeedConfig = z.infer<typeof FeedSchema>;

/** Optional payload encryption: keys by reference only; new payloads use currentKeyId, older ids still decrypt. */
export const EncryptionSchema = z
  .object({
    currentKeyId: z.string(),
    keys: z
      .array(z.object({ id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"'), key: SecretRefSchema }).strict())
      .min(1, 'needs at least one key'),
  })
  .strict()
  .superRefine((enc, ctx) => {
    const ids = enc.keys.map((k) => k.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['keys', i, 'id'], message: `key id "${id}" is used twice` });
    });
    if (!ids.includes(enc.currentKeyId)) {
      ctx.addIssue({ code: 'custom', path: ['currentKeyId'], message: `"${enc.currentKeyId}" is not one of the key ids (${ids.join(', ')})` });
    }
  });
export type EncryptionConfig = z.infer<typeof EncryptionSchema>;

export const AppConfigSchema = z
  .object({
    temporal: z
      .object({
        address: z.string().default('127.0.0.1:7233'),
        namespace: z.string().default('default'),
        taskQueue: z.string().default('entra-ingest'),
        encryption: EncryptionSchema.optional(),
      })
      .strict()
      .default({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'entra-ingest' }),
    /** Claim checks, manifests, dead letters and the default file sink live here. */
    dataDir: z.string().default('.data'),
    /** Where claim checks, manifests and the delivered-record index live: the data dir (file) or a bucket (s3). */
    store: StoreSchema.default({ type: 'file' }),
    /**
     * Leases on record claims (default 1h; `off` for none): a window that holds claims and has not delivered for this
     * long (terminated by an operator, or gone) has its records taken over by the next window that reads them. Keep it
     * well above the delivery activity's 15-minute start-to-close timeout: a live window renews at each delivery.
     */
    claimLease: z
      .string()
      .default(DEFAULT_CLAIM_LEASE)
      .transform((value, ctx): number | undefined => (value === 'off' ? undefined : toDuration(value, ctx, 'a duration like 1h, or off'))),
    /** Validate every event against the OCSF schema in the worker; failures go to dead letters. */
    validateEvents: z.boolean().default(true),
    /** Prometheus endpoint; loopback unless `host` says otherwise (a scraper on another machine needs e.g. 0.0.0.0). */
    metrics: z.object({ port: z.number().int().min(0).max(65535).default(9464), host: z.string().min(1).default('127.0.0.1') }).strict().optional(),
    feeds: z.array(FeedSchema).min(1, 'needs at least one feed'),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const ids = cfg.feeds.map((f) => f.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['feeds', i, 'id'], message: `feed id "${id}" is used twice` });
    });
  });
export type AppConfigInput = z.input<typeof AppConfigSchema>;
export type AppConfig = z.infer<typeof AppConfigSchema>;

export function enabledSources(feed: FeedConfig): Source[] {
  return SOURCES.filter((s) => feed.sources[s]?.enabled);
}
