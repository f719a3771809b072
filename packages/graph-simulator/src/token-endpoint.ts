/**
 * `POST /{tenant}/oauth2/v2.0/token`, client credentials grant, with a client secret or a certificate-signed
 * client assertion. Errors carry the AADSTS codes Entra returns for the same mistakes.
 */
import { randomUUID } from 'node:crypto';
import { readBody, sendEntraError, sendJson, type Ctx } from './http-util';
import { certificateInfo, decodeJwt, signHs256, verifyRsa } from './jwt';
import type { SimulatorState, TenantRuntime } from './state';
import type { ClientState } from './tenant-model';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const CLOCK_SKEW_S = 300;

export async function handleToken(ctx: Ctx, state: SimulatorState, tenantParam: string): Promise<void> {
  const raw = await readBody(ctx.req);
  const form = new URLSearchParams(raw);
  const tenant = state.findTenant(tenantParam);
  if (!tenant) {
    return sendEntraError(ctx, 400, 'invalid_tenant', 90002, `Tenant '${tenantParam}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`);
  }
  const grantType = form.get('grant_type');
  if (!grantType) return sendEntraError(ctx, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
  if (grantType !== 'client_credentials') return sendEntraError(ctx, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
  const clientId = form.get('client_id');
  if (!clientId) return sendEntraError(ctx, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  const client = tenant.model.findClient(clientId);
  if (!client) {
    return sendEntraError(ctx, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant.model.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
  }
  const authFailure = authenticateClient(ctx, state, tenant, client, form, tenantParam);
  if (authFailure) return authFailure();

  const expectedScope = `${state.url}/.default`;
  const scopes = (form.get('scope') ?? '').split(/\s+/).filter((s) => s && !['openid', 'profile', 'offline_access'].includes(s));
  if (scopes.length !== 1 || scopes[0].replace(/\/+\.default$/, '/.default') !== expectedScope) {
    return sendEntraError(ctx, 400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${scopes.join(' ') || '(empty)'} is not valid. Use ${expectedScope} with the client credentials flow.`);
  }

  const nowS = Math.floor(ctx.nowMs / 1000);
  const lifetime = state.tokenLifetimeSeconds ?? 3600 + Math.floor(state.faultRng.float() * 1800);
  const payload = {
    aud: state.url,
    iss: `${state.url}/${tenant.model.tenantId}/`,
    iat: nowS,
    nbf: nowS,
    exp: nowS + lifetime,
    app_displayname: client.displayName,
    appid: client.clientId,
    appidacr: form.has('client_assertion') ? '2' : '1',
    idp: `${state.url}/${tenant.model.tenantId}/`,
    idtyp: 'app',
    oid: client.servicePrincipalId,
    roles: [...client.permissions],
    sub: client.servicePrincipalId,
    tid: tenant.model.tenantId,
    uti: randomUUID().replace(/-/g, '').slice(0, 22),
    ver: '1.0',
  };
  state.stats.tokensIssued++;
  sendJson(ctx, 200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: signHs256(payload, state.key, { kid: 'simulator' }) }, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store, no-cache',
  });
}

type Failure = () => void;

function authenticateClient(ctx: Ctx, state: SimulatorState, tenant: TenantRuntime, client: ClientState, form: URLSearchParams, tenantParam: string): Failure | undefined {
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret !== null) {
    const configured = client.secret;
    if (!configured || configured.value !== secret) {
      return () => sendEntraError(ctx, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`);
    }
    if (Date.parse(configured.expiresAt) <= ctx.nowMs) {
      return () => sendEntraError(ctx, 401, 'invalid_client', 7000222, `The provided client secret keys for app '${client.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`);
    }
    return undefined;
  }
  if (assertion !== null) return checkAssertion(ctx, state, tenant, client, form, assertion, tenantParam);
  return () => sendEntraError(ctx, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
}

function checkAssertion(ctx: Ctx, state: SimulatorState, tenant: TenantRuntime, client: ClientState, form: URLSearchParams, assertion: string, tenantParam: string): Failure | undefined {
  const invalid = (code: number, message: string): Failure => () => sendEntraError(ctx, 401, 'invalid_client', code, message);
  if (form.get('client_assertion_type') !== ASSERTION_TYPE) return invalid(50027, `JWT token is invalid or malformed: client_assertion_type must be '${ASSERTION_TYPE}'.`);
  const jwt = decodeJwt(assertion);
  if (!jwt) return invalid(50027, 'JWT token is invalid or malformed.');
  if (!client.certificatePem) return invalid(700027, `Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '${String(jwt.header.x5t ?? jwt.header['x5t#S256'] ?? '')}']`);
  const cert = certificateInfo(client.certificatePem);
  const x5t = jwt.header.x5t;
  const x5tS256 = jwt.header['x5t#S256'];
  if ((x5t !== undefined && x5t !== cert.x5t) || (x5tS256 !== undefined && x5tS256 !== cert.x5tS256) || (x5t === undefined && x5tS256 === undefined)) {
    return invalid(700027, `Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '${String(x5t ?? x5tS256 ?? '')}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${client.clientId}'.]`);
  }
  if (!verifyRsa(jwt, cert.publicKey)) return invalid(700027, 'Client assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value.]');
  const p = jwt.payload;
  if (p.iss !== client.clientId || p.sub !== client.clientId) return invalid(700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
  const audiences = new Set([`${state.url}/${tenantParam}/oauth2/v2.0/token`, `${state.url}/${tenant.model.tenantId}/oauth2/v2.0/token`, `${state.url}/${tenant.model.domain}/oauth2/v2.0/token`]);
  if (typeof p.aud !== 'string' || !audiences.has(p.aud)) return invalid(50027, `JWT token is invalid or malformed: the audience '${String(p.aud)}' is not the token endpoint.`);
  const nowS = ctx.nowMs / 1000;
  if (typeof p.exp !== 'number' || p.exp + CLOCK_SKEW_S < nowS || (typeof p.nbf === 'number' && p.nbf - CLOCK_SKEW_S > nowS)) {
    return invalid(700024, 'Client assertion is not within its valid time range.');
  }
  // Entra requires a jti but accepts a reused assertion (msal-node caches its assertion until it expires).
  if (typeof p.jti !== 'string' || p.jti.length === 0) return invalid(50027, "JWT token is invalid or malformed: the 'jti' claim is missing.");
  return undefined;
}
