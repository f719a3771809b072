import tls from 'node:tls';
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';

export interface HttpTimeouts {
  connectMs?: number;
  headersMs?: number;
  bodyMs?: number;
}

export const DEFAULT_TIMEOUTS: Required<HttpTimeouts> = { connectMs: 10_000, headersMs: 60_000, bodyMs: 120_000 };

/**
 * One dispatcher for login and Graph alike: honours HTTPS_PROXY/HTTP_PROXY/NO_PROXY, trusts an extra CA (added to
 * the public roots, not replacing them) and applies connect/headers/body timeouts to every request.
 */
export function createDispatcher(opts: { caPem?: string; timeouts?: HttpTimeouts }): Dispatcher {
  const t = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  // The extra CA as one secure context, made once: given as `ca`, the ~150 roots and it were parsed again for every
  // new connection (~2 % of a worker's CPU in the bench).
  const tlsOptions = { timeout: t.connectMs, ...(opts.caPem ? { secureContext: tls.createSecureContext({ ca: [...tls.rootCertificates, opts.caPem] }) } : {}) };
  return new EnvHttpProxyAgent({
    connect: tlsOptions,
    // Through a proxy, the TLS session to the target is configured by requestTls.
    requestTls: tlsOptions,
    headersTimeout: t.headersMs,
    bodyTimeout: t.bodyMs,
  });
}

/** Header value as a single string (undici gives string | string[]). */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}
