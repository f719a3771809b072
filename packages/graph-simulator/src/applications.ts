/**
 * GET /v1.0/applications?$filter=appId eq '…' — the app registrations of the caller's tenant, with the client's
 * secret (passwordCredentials) and certificate (keyCredentials) so expiry reminders can be tested.
 */
import { applyRequestFaults } from './faults';
import { InvalidFilter, parseFilter } from './filter';
import { authenticate, requirePermission } from './graph-auth';
import { sendGraphError, sendJson, type Ctx } from './http-util';
import { certificateInfo } from './jwt';
import type { SimulatorState, TenantRuntime } from './state';
import type { ClientState } from './tenant-model';

const PERMISSIONS = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

function application(id: string, appId: string, displayName: string, createdDateTime: string, t: TenantRuntime, client?: ClientState): Record<string, unknown> {
  const passwordCredentials = client?.secret
    ? [{
        customKeyIdentifier: null,
        displayName: `${displayName} secret`,
        endDateTime: new Date(client.secret.expiresAt).toISOString(),
        hint: client.secret.value.slice(0, 3),
        keyId: client.secretKeyId,
        secretText: null,
        startDateTime: client.secretStart ?? createdDateTime,
      }]
    : [];
  const keyCredentials = client?.certificatePem
    ? (() => {
        const info = certificateInfo(client.certificatePem as string);
        return [{
          customKeyIdentifier: info.thumbprintBase64,
          displayName: `CN=${displayName}`,
          endDateTime: info.notAfter,
          key: null,
          keyId: client.certKeyId,
          startDateTime: info.notBefore,
          type: 'AsymmetricX509Cert',
          usage: 'Verify',
        }];
      })()
    : [];
  return {
    id,
    deletedDateTime: null,
    isFallbackPublicClient: null,
    appId,
    applicationTemplateId: null,
    identifierUris: [],
    createdDateTime,
    disabledByMicrosoftStatus: null,
    displayName,
    isDeviceOnlyAuthSupported: null,
    groupMembershipClaims: null,
    optionalClaims: null,
    addIns: [],
    publisherDomain: t.model.domain,
    samlMetadataUrl: null,
    signInAudience: 'AzureADMyOrg',
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    certification: null,
    tags: [],
    tokenEncryptionKeyId: null,
    api: { requestedAccessTokenVersion: null, acceptMappedClaims: null, knownClientApplications: [], oauth2PermissionScopes: [], preAuthorizedApplications: [] },
    appRoles: [],
    publicClient: { redirectUris: [] },
    info: { termsOfServiceUrl: null, supportUrl: null, privacyStatementUrl: null, marketingUrl: null, logoUrl: null },
    keyCredentials,
    parentalControlSettings: { countriesBlockedForMinors: [], legalAgeGroupRule: 'Allow' },
    passwordCredentials,
    requiredResourceAccess: client
      ? [{ resourceAppId: '00000003-0000-0000-c000-000000000000', resourceAccess: client.permissions.map((p, i) => ({ id: `b0afded3-3588-46d8-8b3d-9842eff778${String(10 + i).padStart(2, '0')}`, type: 'Role' })) }]
      : [],
    web: { redirectUris: [], homePageUrl: null, logoutUrl: null, implicitGrantSettings: { enableIdTokenIssuance: false, enableAccessTokenIssuance: false } },
  };
}

export function tenantApplications(t: TenantRuntime): Record<string, unknown>[] {
  return [
    ...t.model.clients.map((c) => application(c.objectId, c.clientId, c.displayName, c.createdDateTime, t, c)),
    ...t.model.apps.map((a) => application(a.id, a.appId, a.displayName, a.createdDateTime, t)),
  ];
}

export async function handleApplications(ctx: Ctx, state: SimulatorState): Promise<void> {
  const caller = authenticate(ctx, state);
  if (!caller || !requirePermission(ctx, caller, PERMISSIONS)) return;
  if (await applyRequestFaults(ctx, state)) return;
  const q = ctx.url.searchParams;
  let apps = tenantApplications(caller.tenant);
  try {
    const filter = parseFilter(q.get('$filter') ?? undefined, { timeProperty: 'createdDateTime', stringProperties: ['appId', 'displayName', 'id'] });
    apps = apps.filter((a) => {
      for (const [k, v] of Object.entries(filter.equals)) if (String(a[k]).toLowerCase() !== v.toLowerCase()) return false;
      for (const [k, v] of Object.entries(filter.startsWith)) if (!String(a[k]).toLowerCase().startsWith(v.toLowerCase())) return false;
      return true;
    });
  } catch (err) {
    if (err instanceof InvalidFilter) return sendGraphError(ctx, 400, 'BadRequest', 'Invalid filter clause');
    throw err;
  }
  const sel = q.get('$select');
  const fields = sel ? sel.split(',').map((s) => s.trim()).filter(Boolean) : null;
  const value = fields
    ? apps.map((a) => {
        const out: Record<string, unknown> = {};
        for (const f of fields) if (f in a) out[f] = a[f];
        return out;
      })
    : apps;
  state.stats.recordsServed += value.length;
  sendJson(ctx, 200, { '@odata.context': `${state.url}/v1.0/$metadata#applications${fields ? `(${fields.join(',')})` : ''}`, value });
}
