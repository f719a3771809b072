/**
 * The identity-platform metadata msal-node may fetch for a custom authority: OpenID configuration and
 * instance discovery. Clients can skip both with msal's `authorityMetadata` and `cloudDiscoveryMetadata`.
 */
import { sendJson, type Ctx } from './http-util';
import type { SimulatorState } from './state';

export function openIdConfiguration(url: string, tenant: string): Record<string, unknown> {
  return {
    token_endpoint: `${url}/${tenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${url}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${url}/${tenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${url}/oidc/userinfo`,
    authorization_endpoint: `${url}/${tenant}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${url}/${tenant}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${url}/${tenant}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'ver'],
    tenant_region_scope: 'NA',
    cloud_instance_name: new URL(url).host,
    cloud_graph_host_name: new URL(url).host,
    msgraph_host: new URL(url).host,
  };
}

/** The shape msal expects for `cloudDiscoveryMetadata` and from the instance discovery endpoint. */
export function cloudDiscoveryMetadata(url: string): Record<string, unknown> {
  const host = new URL(url).host;
  return {
    tenant_discovery_endpoint: `${url}/{tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}

export function handleOpenIdConfiguration(ctx: Ctx, state: SimulatorState, tenant: string): void {
  if (!state.findTenant(tenant)) {
    return sendJson(ctx, 400, { error: 'invalid_tenant', error_description: `AADSTS90002: Tenant '${tenant}' not found.`, error_codes: [90002] });
  }
  sendJson(ctx, 200, openIdConfiguration(state.url, tenant), { 'content-type': 'application/json; charset=utf-8' });
}

export function handleInstanceDiscovery(ctx: Ctx, state: SimulatorState): void {
  sendJson(ctx, 200, cloudDiscoveryMetadata(state.url), { 'content-type': 'application/json; charset=utf-8' });
}
