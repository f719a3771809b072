import crypto from 'node:crypto';
import { ConfidentialClientApplication, LogLevel, type Configuration } from '@azure/msal-node';
import type { Dispatcher } from 'undici';
import { prepareCertificate } from './certificate';
import { cloudEndpoints, type CloudEndpoints } from './clouds';
import type { GraphConnection } from './connection';
import { AuthConfigError, GraphError } from './errors';
import { createDispatcher } from './http';
import { createMsalNetworkClient, isLoginTransportError } from './msal-network';
import { noopLogger, type GraphLogger } from './logger';

export interface AccessToken {
  accessToken: string;
  expiresOn: Date;
}

/** What an activity may return about a token: never the token itself. */
export interface AccessTokenInfo {
  expiresOn: Date;
}

export interface TokenProvider {
  getToken(opts?: { forceRefresh?: boolean; signal?: AbortSignal }): Promise<AccessToken>;
}

const RESERVED_TENANTS = new Set(['common', 'organizations', 'consumers']);

/** Client credentials need one tenant; multi-tenant aliases would silently pick the app's home tenant. */
export function validateTenantId(tenantId: string): void {
  if (RESERVED_TENANTS.has(tenantId.toLowerCase())) {
    throw new AuthConfigError(`tenant id "${tenantId}" is not tenant-specific: use the directory (tenant) ID GUID or a verified domain of the tenant`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(tenantId)) {
    throw new AuthConfigError(`tenant id "${tenantId}" is not a tenant GUID or domain name`);
  }
}

// What to do about the AADSTS codes a confidential client meets; all are configuration problems.
const AADSTS_FIXES: Record<string, string> = {
  '7000215': 'the client secret is wrong: copy the secret VALUE (not its ID) from App registrations → (the app) → Certificates & secrets and update the secret reference',
  '7000222': 'the client secret has expired: create a new secret under App registrations → (the app) → Certificates & secrets and update the secret reference',
  '700016': 'the application (client id) was not found in this tenant: check the client id, and that the app is registered in or consented to this tenant (Enterprise applications)',
  '90002': 'the tenant was not found: check the tenant id, and that the cloud (global, usgov, usgovdod, china) matches where the tenant lives',
  '70011': 'the requested scope is not valid: the scope must be "<graph base>/.default" of the tenant\'s cloud; check the cloud / graphUrl setting',
  '700027': 'the client assertion was not accepted: upload this certificate under App registrations → (the app) → Certificates & secrets → Certificates (thumbprints must match)',
  '700024': 'the client assertion is outside its valid time range: synchronise this machine\'s clock (NTP)',
  '7000112': 'the application is disabled in this tenant: enable it under Enterprise applications → (the app) → Properties',
  '700023': 'the authority is not valid for this app: use the tenant-specific authority of the tenant the app is in',
};

interface MsalLikeError {
  name?: string;
  errorCode?: string;
  errorMessage?: string;
  message?: string;
  errorNo?: string | number;
  status?: number;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0].slice(0, 300);
}

/** Maps whatever msal threw to a typed error: configuration (fix it in the portal) or transient (retry). */
export function classifyAuthError(err: unknown, where: string): GraphError {
  if (err instanceof GraphError) return err;
  if (isLoginTransportError(err)) {
    const status = err.httpStatus;
    if (status !== undefined && status < 500 && status !== 408 && status !== 429) {
      return new AuthConfigError(`sign-in failed: ${err.detail}; check the login URL / cloud`, undefined, { status, cause: err });
    }
    return new GraphError('auth-transient', `sign-in failed (will retry): ${err.detail}`, { status, retryAfterMs: err.retryAfterMs, cause: err });
  }
  const e = (err ?? {}) as MsalLikeError;
  const text = `${e.errorMessage ?? ''} ${e.message ?? ''}`;
  const aadsts = (e.errorNo !== undefined && String(e.errorNo) !== '' ? String(e.errorNo) : undefined) ?? /AADSTS(\d+)/.exec(text)?.[1];
  const status = typeof e.status === 'number' ? e.status : undefined;
  if (aadsts && AADSTS_FIXES[aadsts]) {
    return new AuthConfigError(`sign-in refused (AADSTS${aadsts}): ${AADSTS_FIXES[aadsts]}`, aadsts, { status, cause: err });
  }
  const serverSide = status !== undefined && (status >= 500 || status === 429 || status === 408);
  if (serverSide || e.errorCode === 'temporarily_unavailable' || e.errorCode === 'server_error' || e.errorCode === 'network_error') {
    return new GraphError('auth-transient', `sign-in to ${where} failed (will retry): ${e.errorCode ?? 'error'}${aadsts ? ` AADSTS${aadsts}` : ''}`, { status, cause: err });
  }
  if (aadsts || e.name === 'ServerError' || e.name === 'ClientConfigurationError') {
    const description = /Description: ([^\n]*)/.exec(text)?.[1] ?? text.trim();
    return new AuthConfigError(`sign-in refused${aadsts ? ` (AADSTS${aadsts})` : ''}: ${firstLine(description) || e.errorCode || 'unknown error'}`, aadsts, { status, cause: err });
  }
  return new GraphError('auth-transient', `sign-in to ${where} failed (will retry): ${e.errorCode ?? e.name ?? 'error'}: ${firstLine(text.trim())}`, { status, cause: err });
}

function customAuthorityOptions(endpoints: CloudEndpoints, tenantId: string): Pick<Configuration['auth'], 'knownAuthorities' | 'authorityMetadata' | 'cloudDiscoveryMetadata'> {
  // Everything msal would otherwise discover over the network, so it never calls a Microsoft host for a custom cloud.
  const base = `${endpoints.loginUrl}/${tenantId}`;
  const host = new URL(endpoints.loginUrl).host;
  return {
    knownAuthorities: [host],
    authorityMetadata: JSON.stringify({
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      issuer: `${base}/v2.0`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
    }),
    cloudDiscoveryMetadata: JSON.stringify({
      tenant_discovery_endpoint: `${base}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    }),
  };
}

function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}

class MsalTokenProvider implements TokenProvider {
  private readonly app: ConfidentialClientApplication;
  private readonly scope: string;
  private readonly where: string;
  private refreshing?: Promise<AccessToken>;

  constructor(conn: GraphConnection, endpoints: CloudEndpoints, private readonly dispatcher: Dispatcher, private readonly logger: GraphLogger) {
    validateTenantId(conn.tenantId);
    this.scope = `${endpoints.graphUrl}/.default`;
    this.where = endpoints.loginUrl;
    const credential = conn.credential;
    let auth: Configuration['auth'] = { clientId: conn.clientId, authority: `${endpoints.loginUrl}/${conn.tenantId}` };
    if (credential.kind === 'secret') {
      if (!credential.clientSecret) throw new AuthConfigError('the client secret is empty: check the secret reference');
      auth.clientSecret = credential.clientSecret;
    } else {
      const cert = prepareCertificate(credential.certificatePem, credential.privateKeyPem);
      auth.clientCertificate = { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKeyPem, x5c: cert.x5cPem };
    }
    if (conn.cloud === 'custom') auth = { ...auth, ...customAuthorityOptions(endpoints, conn.tenantId) };
    this.app = new ConfidentialClientApplication({
      auth,
      system: {
        networkClient: createMsalNetworkClient(dispatcher),
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (_level, message) => this.logger.debug('msal', { detail: message }),
        },
      },
    });
  }

  async getToken(opts: { forceRefresh?: boolean; signal?: AbortSignal } = {}): Promise<AccessToken> {
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (opts.forceRefresh) {
      // Concurrent 401s share one refresh instead of each asking for a new token.
      this.refreshing ??= this.acquire(true).finally(() => { this.refreshing = undefined; });
      return abortable(this.refreshing, opts.signal);
    }
    if (this.refreshing) return abortable(this.refreshing, opts.signal);
    return abortable(this.acquire(false), opts.signal);
  }

  private async acquire(skipCache: boolean): Promise<AccessToken> {
    let result;
    try {
      result = await this.app.acquireTokenByClientCredential({ scopes: [this.scope], skipCache });
    } catch (err) {
      const classified = classifyAuthError(err, this.where);
      this.logger.warn('sign-in failed', classified.toLogFields());
      throw classified;
    }
    // msal answers an empty result, without throwing, when the token endpoint returns e.g. 404 with "{}".
    if (!result?.accessToken) {
      throw new AuthConfigError(`the token endpoint under ${this.where} answered without an access token: check the login URL and cloud`);
    }
    const expiresOn = result.expiresOn ?? new Date(Date.now() + 5 * 60_000);
    this.logger.debug('access token acquired', { expiresOn: expiresOn.toISOString(), fromCache: result.fromCache ?? false });
    return { accessToken: result.accessToken, expiresOn };
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}

const providers = new Map<string, MsalTokenProvider>();

function fingerprint(conn: GraphConnection, endpoints: CloudEndpoints): string {
  const c = conn.credential;
  const credential = c.kind === 'secret' ? `secret:${c.clientSecret}` : `cert:${c.certificatePem}\n${c.privateKeyPem}`;
  return crypto.createHash('sha256')
    .update([conn.tenantId.toLowerCase(), conn.clientId.toLowerCase(), credential, endpoints.loginUrl, endpoints.graphUrl, conn.caPem ?? '', JSON.stringify(conn.timeouts ?? {})].join('\u0000'))
    .digest('hex');
}

/**
 * The process-wide token provider for a connection: one msal client (and token cache) per tenant, client id,
 * credential and login URL, so tokens are reused until close to expiry. A rotated secret gives a new provider.
 */
export function getTokenProvider(conn: GraphConnection, logger: GraphLogger = noopLogger): TokenProvider {
  const endpoints = cloudEndpoints(conn.cloud, { loginUrl: conn.loginUrl, graphUrl: conn.graphUrl });
  const key = fingerprint(conn, endpoints);
  let provider = providers.get(key);
  if (!provider) {
    provider = new MsalTokenProvider(conn, endpoints, createDispatcher({ caPem: conn.caPem, timeouts: conn.timeouts }), logger);
    providers.set(key, provider);
  }
  return provider;
}

/** Closes every cached provider's connections (tests, process shutdown). */
export async function closeTokenProviders(): Promise<void> {
  const all = [...providers.values()];
  providers.clear();
  await Promise.all(all.map((p) => p.close()));
}
