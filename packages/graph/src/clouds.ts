import { GraphError } from './errors';

export type CloudName = 'global' | 'usgov' | 'usgovdod' | 'china' | 'custom';
export const CLOUD_NAMES: readonly CloudName[] = ['global', 'usgov', 'usgovdod', 'china', 'custom'];

export interface CloudEndpoints {
  /** Origin of the Microsoft identity platform (no trailing slash). */
  loginUrl: string;
  /** Origin of Microsoft Graph (no trailing slash); nextLinks are only followed to this exact origin. */
  graphUrl: string;
  auditLogsAvailable: boolean;
  signInsAvailable: boolean;
}

// National clouds per Microsoft's "national cloud deployments" documentation. 21Vianet does not offer the
// Entra audit log and sign-in APIs, so those sources are refused there up front instead of failing obscurely.
const NAMED_CLOUDS: Record<Exclude<CloudName, 'custom'>, CloudEndpoints> = {
  global: { loginUrl: 'https://login.microsoftonline.com', graphUrl: 'https://graph.microsoft.com', auditLogsAvailable: true, signInsAvailable: true },
  usgov: { loginUrl: 'https://login.microsoftonline.us', graphUrl: 'https://graph.microsoft.us', auditLogsAvailable: true, signInsAvailable: true },
  usgovdod: { loginUrl: 'https://login.microsoftonline.us', graphUrl: 'https://dod-graph.microsoft.us', auditLogsAvailable: true, signInsAvailable: true },
  china: { loginUrl: 'https://login.chinacloudapi.cn', graphUrl: 'https://microsoftgraph.chinacloudapi.cn', auditLogsAvailable: false, signInsAvailable: false },
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function configError(message: string): GraphError {
  return new GraphError('auth-config', message, { retryable: false });
}

/** Parses a base URL given for the custom cloud: a bare origin, https (plain http only for a loopback Graph). */
function parseBase(name: 'loginUrl' | 'graphUrl', value: string | undefined): string {
  if (!value) throw configError(`cloud "custom" needs ${name} (e.g. https://127.0.0.1:8443)`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(`${name} "${value}" is not a URL`);
  }
  const httpAllowed = name === 'graphUrl' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(httpAllowed && url.protocol === 'http:')) {
    throw configError(`${name} must use https (the identity platform and msal refuse plain http), got "${value}"`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw configError(`${name} must be a bare origin like https://host:port, without path, query or credentials; got "${value}"`);
  }
  return url.origin;
}

export function cloudEndpoints(cloud: CloudName, custom: { loginUrl?: string; graphUrl?: string } = {}): CloudEndpoints {
  if (cloud === 'custom') {
    return { loginUrl: parseBase('loginUrl', custom.loginUrl), graphUrl: parseBase('graphUrl', custom.graphUrl), auditLogsAvailable: true, signInsAvailable: true };
  }
  const named = NAMED_CLOUDS[cloud];
  if (!named) throw configError(`unknown cloud "${String(cloud)}": use one of ${CLOUD_NAMES.join(', ')}`);
  if (custom.loginUrl || custom.graphUrl) {
    throw configError(`loginUrl/graphUrl apply only to cloud "custom"; cloud "${cloud}" has fixed endpoints (${named.loginUrl}, ${named.graphUrl})`);
  }
  return { ...named };
}
