import fs from 'node:fs';
import path from 'node:path';
import type { FeedConfig } from './schema';
import { resolveSecret } from './secrets';

export type ResolvedCredential =
  | { kind: 'secret'; clientSecret: string }
  | { kind: 'certificate'; certificatePem: string; privateKeyPem: string };

/** What the Graph client needs to connect as a feed: resolved in the worker, never passed through Temporal. */
export interface FeedConnection {
  tenantId: string;
  clientId: string;
  cloud: FeedConfig['cloud'];
  loginUrl?: string;
  graphUrl?: string;
  caPem?: string;
  credential: ResolvedCredential;
}

export function resolveCredential(feed: FeedConfig, baseDir: string): ResolvedCredential {
  const c = feed.credential;
  if ('clientSecret' in c) return { kind: 'secret', clientSecret: resolveSecret(c.clientSecret, baseDir) };
  return { kind: 'certificate', certificatePem: resolveSecret(c.certificate, baseDir), privateKeyPem: resolveSecret(c.privateKey, baseDir) };
}

export function resolveConnection(feed: FeedConfig, baseDir: string): FeedConnection {
  return {
    tenantId: feed.tenantId,
    clientId: feed.clientId,
    cloud: feed.cloud,
    loginUrl: feed.loginUrl,
    graphUrl: feed.graphUrl,
    caPem: feed.caFile ? fs.readFileSync(path.resolve(baseDir, feed.caFile), 'utf8') : undefined,
    credential: resolveCredential(feed, baseDir),
  };
}
