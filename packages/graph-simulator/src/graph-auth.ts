/** Bearer-token checks on the Graph side: the same failures Graph reports, as 401/403 in Graph's envelope. */
import { sendGraphError, type Ctx } from './http-util';
import { decodeJwt, verifyHs256 } from './jwt';
import type { SimulatorState, TenantRuntime } from './state';

export interface Caller {
  tenant: TenantRuntime;
  appId: string;
  roles: string[];
  /** Unique token id, so a token can be revoked. */
  uti: string;
}

function unauthorized(ctx: Ctx, message: string): undefined {
  sendGraphError(ctx, 401, 'InvalidAuthenticationToken', message, {
    'www-authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
  });
  return undefined;
}

export function authenticate(ctx: Ctx, state: SimulatorState): Caller | undefined {
  const header = ctx.req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) return unauthorized(ctx, 'Access token is empty.');
  const jwt = decodeJwt(match[1]);
  if (!jwt) return unauthorized(ctx, 'IDX14100: JWT is not well formed, there are no dots (.).');
  if (!verifyHs256(jwt, state.key)) return unauthorized(ctx, 'Access token validation failure. Invalid signature.');
  const p = jwt.payload;
  if (p.aud !== state.url) return unauthorized(ctx, 'Access token validation failure. Invalid audience.');
  if (typeof p.exp !== 'number' || p.exp * 1000 <= ctx.nowMs) return unauthorized(ctx, 'Lifetime validation failed, the token is expired.');
  const tenant = typeof p.tid === 'string' ? state.tenants.get(p.tid) : undefined;
  if (!tenant) return unauthorized(ctx, 'Access token validation failure. Invalid issuer or tenant.');
  const uti = String(p.uti ?? '');
  if (state.revokedTokens.has(uti)) return unauthorized(ctx, 'Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp');
  const appId = String(p.appid ?? '');
  if (!tenant.model.findClient(appId)) return unauthorized(ctx, 'Access token validation failure. The application is no longer registered in the tenant.');
  return { tenant, appId, roles: Array.isArray(p.roles) ? p.roles.map(String) : [], uti };
}

/** True when the caller holds any of the permissions; otherwise answers 403 as Graph does. */
export function requirePermission(ctx: Ctx, caller: Caller, anyOf: readonly string[]): boolean {
  if (anyOf.some((p) => caller.roles.includes(p))) return true;
  sendGraphError(ctx, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  return false;
}
