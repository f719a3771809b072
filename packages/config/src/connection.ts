import fs from 'node:fs';
import path from 'node:path';
import type { FeedConfig } from './schema';
import { SecretResolutionError, resolveSecret } from './secrets';

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

/**
 * Feeds whose credential cannot be read now (an environment variable unset, a file missing), with why. A worker says
 * so at start: such a feed's windows wait as blocked (they do not fail) until the reference resolves, and an
 * environment variable only changes with a restart.
 */
export function unreadableCredentials(feeds: FeedConfig[], baseDir: string): { feed: string; problem: string }[] {
  const unreadable: { feed: string; problem: string }[] = [];
  for (const feed of feeds) {
    try {
      resolveCredential(feed, baseDir);
    } catch (err) {
      if (!(err instanceof SecretResolutionError)) throw err;
      unreadable.push({ feed: feed.id, problem: err.message });
    }
  }
  return unreadable;
}
