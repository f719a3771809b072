/**
 * Builds directoryAudit records (Graph v1.0 shape) from stream events: which activity, who did it, what it
 * touched. Only the activity is needed to filter, so it is drawn first and cheaply; the full record is built
 * only for records that are actually served.
 */
import { ACTIVITY_CATALOG, type CatalogActivity } from './catalog';
import { positionBits, type StreamEvent } from './event-stream';
import { LOCATIONS, DIRECTORY_ROLES, SYSTEM_APPS } from './names';
import { mix32, pickWeighted, Rng, uuidFromTwo } from './prng';
import type { TenantModel, DirectoryUser } from './tenant-model';
import { ticksToIso } from './time';

const CUMULATIVE: number[] = (() => {
  let sum = 0;
  return ACTIVITY_CATALOG.map((a) => (sum += a.weight));
})();

export function activityIndexOf(e: StreamEvent): number {
  return pickWeighted(CUMULATIVE, mix32(e.hash ^ 0xa5a5a5a5) / 4294967296);
}

export function activityOf(e: StreamEvent): CatalogActivity {
  return ACTIVITY_CATALOG[activityIndexOf(e)];
}

const ID_PREFIX: Record<string, string> = { 'Core Directory': 'Directory', PIM: 'PIM', 'Self-service Password Management': 'SSPR' };
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Graph's audit ids look like `Directory_<correlationId>_<5 chars>_<number>` for most services, else a GUID. */
export function auditIdOf(e: StreamEvent, tenant: TenantModel): { id: string; correlationId: string } {
  const r = new Rng(mix32(e.hash + 0x1234567));
  const correlationId = r.uuid();
  const prefix = ID_PREFIX[activityOf(e).loggedByService];
  // The event's position is mixed into the id: content hashes can repeat, ids must not.
  const place = positionBits(e);
  if (!prefix) return { id: uuidFromTwo(r.next32(), place), correlationId };
  let code = '';
  for (let i = 0; i < 5; i++) code += ID_CHARS[r.int(ID_CHARS.length)];
  const id = `${prefix}_${correlationId}_${code}_${10_000_000 + (mix32(tenant.salt ^ e.hash ^ place) % 89_999_999)}`;
  if (tenant.hostileAuditIds > 0 && mix32(e.hash ^ 0x5eed1d) / 4_294_967_296 < tenant.hostileAuditIds) return { id: `${id}\n{"injected":true}`, correlationId };
  return { id, correlationId };
}

const FAILURE_REASONS: Record<string, string[]> = {
  'Self-service Password Management': ['User did not pass the verification challenge.', "User's account is locked", 'User submitted a new password that does not meet the policy.'],
  'Core Directory': ['Microsoft.Online.Workflows.ObjectAlreadyExistsException', 'Microsoft.Online.DirectoryServices.AuthorizationException', 'Request is throttled by the directory'],
  default: ['Operation failed', 'An internal error occurred'],
};

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36 Edg/121.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'Microsoft Graph PowerShell/2.15.0',
];

type Json = Record<string, unknown>;

function ipAddress(r: Rng): string {
  const loc = r.pick(LOCATIONS);
  return `${loc.ipPrefix}${r.int(254) + 1}.${r.int(254) + 1}`;
}

/** Self-service activities are done by the user to themselves (precomputed: checked for every record). */
const SELF_SERVICE: ReadonlySet<CatalogActivity> = new Set(
  ACTIVITY_CATALOG.filter((a) => /self-service|^User |Change user password|Redeem/.test(a.activityDisplayName)),
);

function isSelfService(a: CatalogActivity): boolean {
  return SELF_SERVICE.has(a);
}

export function buildAudit(e: StreamEvent, tenant: TenantModel): Json {
  const activity = activityOf(e);
  const r = new Rng(mix32(e.hash ^ 0x5bd1e995));
  const { id, correlationId } = auditIdOf(e, tenant);
  const failed = r.chance(activity.failureRate ?? 0);
  const subject = tenant.users[r.int(tenant.users.length)];
  const admin = tenant.users[r.int(Math.min(4, tenant.users.length))];
  const byApp = activity.initiator === 'app' || (activity.initiator === 'either' && r.chance(0.3));
  const selfService = isSelfService(activity);
  const initiatedBy = byApp && !selfService
    ? { app: appInitiator(r, tenant, activity), user: null }
    : { app: null, user: userInitiator(selfService ? subject : admin, r) };
  const targetResources = activity.targetTypes.map((type, i) => target(type, i, activity, r, tenant, subject));
  const additionalDetails: Json[] = [];
  if (initiatedBy.user) additionalDetails.push({ key: 'User-Agent', value: r.pick(USER_AGENTS) });
  if (activity.targetTypes.includes('User')) additionalDetails.push({ key: 'UserType', value: subject.userType });
  if (activity.loggedByService === 'PIM') {
    additionalDetails.push({ key: 'RoleDefinitionOriginType', value: 'BuiltInRole' }, { key: 'ExpirationTime', value: ticksToIso(e.ticks + 8 * 3600 * 1e7) });
  }
  const reasons = FAILURE_REASONS[activity.loggedByService] ?? FAILURE_REASONS.default;
  return {
    id,
    category: activity.category,
    correlationId,
    result: failed ? 'failure' : 'success',
    resultReason: failed ? r.pick(reasons) : r.chance(0.3) ? 'Successfully completed' : '',
    activityDisplayName: activity.activityDisplayName,
    activityDateTime: ticksToIso(e.ticks),
    loggedByService: activity.loggedByService,
    operationType: activity.operationType,
    initiatedBy,
    targetResources,
    additionalDetails,
  };
}

function userInitiator(u: DirectoryUser, r: Rng): Json {
  return {
    id: u.id,
    displayName: r.chance(0.5) ? u.displayName : null,
    userPrincipalName: u.userPrincipalName,
    ipAddress: r.chance(0.8) ? ipAddress(r) : '',
    userType: null,
    homeTenantId: null,
    homeTenantName: null,
  };
}

function appInitiator(r: Rng, tenant: TenantModel, a: CatalogActivity): Json {
  const systemApp = a.loggedByService === 'PIM' ? SYSTEM_APPS[3] : a.category === 'Device' ? SYSTEM_APPS[r.chance(0.5) ? 1 : 2] : null;
  const app = systemApp ?? (r.chance(0.5) ? r.pick(SYSTEM_APPS) : r.pick(tenant.apps));
  const spId = new Rng(mix32(tenant.salt ^ app.appId.charCodeAt(0) ^ app.appId.length)).uuid();
  return { appId: app.appId, displayName: app.displayName, servicePrincipalId: spId, servicePrincipalName: null };
}

function prop(displayName: string, oldValue: unknown, newValue: unknown): Json {
  return { displayName, oldValue: oldValue === null ? null : JSON.stringify(oldValue), newValue: newValue === null ? null : JSON.stringify(newValue) };
}

function target(type: string, position: number, a: CatalogActivity, r: Rng, tenant: TenantModel, subject: DirectoryUser): Json {
  const base = (id: string, displayName: string | null, modifiedProperties: Json[] = [], extra: Json = {}): Json => ({
    id,
    displayName,
    type,
    userPrincipalName: null,
    groupType: null,
    modifiedProperties,
    ...extra,
  });
  const primary = position === 0;
  switch (type) {
    case 'User': {
      const mods: Json[] = [];
      if (primary && a.operationType === 'Update') {
        const attr = r.pick(['JobTitle', 'Department', 'AccountEnabled', 'StsRefreshTokensValidFrom', 'StrongAuthenticationMethod']);
        mods.push(prop(attr, [r.pick(['Developer', 'Sales', 'true'])], [r.pick(['IT Admin', 'Finance', 'false'])]), prop('Included Updated Properties', null, attr));
      }
      if (primary) mods.push(prop('TargetId.UserType', null, subject.userType));
      return base(subject.id, r.chance(0.4) ? subject.displayName : null, mods, { userPrincipalName: subject.userPrincipalName });
    }
    case 'Group': {
      const g = r.pick(tenant.groups);
      // Membership changes describe the group on the member side, as Entra does.
      const groupMods = a.targetTypes.length > 1 ? [prop('Group.ObjectID', null, g.id), prop('Group.DisplayName', null, g.displayName)] : [];
      return base(g.id, g.displayName, groupMods, { groupType: g.groupTypes.includes('Unified') ? 'unifiedGroups' : 'azureAD' });
    }
    case 'Role': {
      const role = r.pick(DIRECTORY_ROLES);
      return base(new Rng(mix32(tenant.salt ^ role.id.charCodeAt(0))).uuid(), role.displayName, [
        prop('Role.ObjectID', null, role.id),
        prop('Role.DisplayName', null, role.displayName),
        prop('Role.TemplateId', null, role.id),
      ]);
    }
    case 'ServicePrincipal': {
      const app = r.chance(0.5) ? r.pick(tenant.apps) : r.pick(SYSTEM_APPS);
      const mods = primary && a.operationType !== 'Delete' ? [prop('AppAddress', null, [{ AddressType: 0, Address: 'https://login.microsoftonline.com/' }]), prop('Included Updated Properties', null, 'AppAddress')] : [];
      return base(r.uuid(), app.displayName, mods);
    }
    case 'Application': {
      const app = r.pick(tenant.apps);
      const mods = /Certificates and secrets/.test(a.activityDisplayName)
        ? [prop('KeyDescription', [], [`[KeyIdentifier=${r.uuid()},KeyType=Password,KeyUsage=Verify,DisplayName=${app.displayName} secret]`]), prop('Included Updated Properties', null, 'KeyDescription')]
        : [];
      return base(app.id, app.displayName, mods);
    }
    case 'Policy': {
      const p = r.pick(tenant.policies);
      return base(p.id, p.displayName, a.operationType === 'Update' ? [prop('ConditionalAccessPolicy', { state: 'enabledForReportingButNotEnforced' }, { state: 'enabled' })] : []);
    }
    case 'Device': {
      const d = r.pick(tenant.devices);
      return base(d.id, d.displayName, a.operationType === 'Update' ? [prop('IsCompliant', [true], [false]), prop('Included Updated Properties', null, 'IsCompliant')] : []);
    }
    case 'Directory':
      return base(tenant.tenantId, r.chance(0.5) ? `${r.pick(['sales', 'eu', 'corp'])}.${tenant.domain.replace('.onmicrosoft.com', '.com')}` : null);
    default:
      return base(r.uuid(), r.pick(['Sales access package', 'Finance catalog', 'EU administrative unit', 'Contractors']), []);
  }
}
