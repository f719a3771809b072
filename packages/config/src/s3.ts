import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isHttpsOrLoopback } from './loopback';
import { SecretRefSchema, resolveSecret } from './secrets';

/**
 * How to reach an S3 bucket: shared by the `s3` store and the `s3` / `securityLake` sinks. Keys are references
 * (environment variable or file), never values; without `credentials` the AWS SDK's default chain is used
 * (AWS_* environment, shared config/profile, web identity and pod identity, container and instance metadata).
 */
export const S3ConnectionShape = {
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 lower-case letters, digits, "." or "-")'),
  region: z.string().min(1).default('us-east-1'),
  /** An S3-compatible server (MinIO, versitygw, Ceph, …); AWS when absent. */
  endpoint: z.string().url('must be a URL').refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL').optional(),
  /** `endpoint/bucket/key` URLs instead of `bucket.endpoint/key`: most S3-compatible servers need this. */
  forcePathStyle: z.boolean().default(false),
  /** Extra CA certificate (PEM file, relative to the config's folder) for a server with a private CA. */
  caFile: z.string().min(1).optional(),
  credentials: z
    .object({ accessKeyId: SecretRefSchema, secretAccessKey: SecretRefSchema, sessionToken: SecretRefSchema.optional() })
    .strict()
    .optional(),
  /**
   * Attempts per request by the AWS SDK itself. 1 (the default): no retry inside the SDK; a failed request fails its
   * activity and Temporal's retry policy tries again (one retry layer, checkpoints make that cheap). Above 1 the SDK's
   * standard strategy retries inside the activity as well.
   */
  maxAttempts: z.number().int().min(1).max(10).default(1),
  /**
   * Plain HTTP to an endpoint that is not loopback, e.g. an S3 server on docker compose's private network. Off by
   * default: keys, claim checks and events would cross the network unencrypted.
   */
  insecureHttp: z.boolean().default(false),
};

/** TLS except to loopback, unless the config says otherwise in so many words. */
function checkEndpoint(c: { endpoint?: string; insecureHttp: boolean }, ctx: z.RefinementCtx): void {
  if (c.endpoint && !c.insecureHttp && !isHttpsOrLoopback(c.endpoint)) {
    ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'must be https (plain http only to loopback, or with insecureHttp: true on a private network)' });
  }
}

const S3ConnectionSchema = z.object(S3ConnectionShape);
export { checkEndpoint as checkS3Endpoint };
export type S3ConnectionConfig = z.infer<typeof S3ConnectionSchema>;

/** An S3 key prefix: '/'-separated, no empty, '.' or '..' segments. */
export const s3Prefix = z
  .string()
  .regex(/^[A-Za-z0-9._=:+-]+(\/[A-Za-z0-9._=:+-]+)*$/, 'must be "/"-separated segments of letters, digits, ".", "_", "=", ":", "+" or "-"')
  .refine((p) => !p.split('/').some((s) => s.startsWith('.')), 'no segment may start with "."');

/** What the store package's createS3Client takes: secrets resolved lazily, on every credential refresh. */
export interface ResolvedS3Settings {
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  caPem?: string;
  credentials?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration: Date }>;
  maxAttempts: number;
}

/** The SDK caches credentials until `expiration`: five minutes, so a rotated key (env or file) is picked up soon. */
const CREDENTIAL_REFRESH_MS = 5 * 60_000;

export function resolveS3Settings(c: S3ConnectionConfig, baseDir: string): ResolvedS3Settings {
  let caPem: string | undefined;
  if (c.caFile) {
    const file = path.resolve(baseDir, c.caFile);
    try {
      caPem = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`S3 bucket ${c.bucket}: cannot read caFile ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  const refs = c.credentials;
  return {
    region: c.region,
    ...(c.endpoint ? { endpoint: c.endpoint } : {}),
    forcePathStyle: c.forcePathStyle,
    ...(caPem ? { caPem } : {}),
    maxAttempts: c.maxAttempts,
    ...(refs
      ? {
          credentials: async () => ({
            accessKeyId: resolveSecret(refs.accessKeyId, baseDir),
            secretAccessKey: resolveSecret(refs.secretAccessKey, baseDir),
            ...(refs.sessionToken ? { sessionToken: resolveSecret(refs.sessionToken, baseDir) } : {}),
            expiration: new Date(Date.now() + CREDENTIAL_REFRESH_MS),
          }),
        }
      : {}),
  };
}

/**
 * Where claim checks, pages, manifests and the delivered-record index live. `file` (default): `<dataDir>/store`, for
 * workers sharing one filesystem. `s3`: one bucket (under `prefix`), for workers that share nothing but Temporal.
 */
export const StoreSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('file') }).strict(),
  z.object({ type: z.literal('s3'), ...S3ConnectionShape, prefix: s3Prefix.default('entra-ingest') }).strict(),
]).superRefine((c, ctx) => {
  if (c.type === 's3') checkEndpoint(c, ctx);
});
export type StoreConfig = z.infer<typeof StoreSchema>;
