import { SOURCE_SPECS, type Licence, type SourceName } from '@entra-ingest/sources';

/** What each kind of Graph read needs: application permissions (with admin consent) and licence. */
export type GraphResource = SourceName | 'groups' | 'applications';

/** The sources' permissions come from the registry; the two lookups that are not sources are listed here. */
export const REQUIRED_PERMISSIONS: Record<GraphResource, readonly string[]> = {
  ...(Object.fromEntries(Object.entries(SOURCE_SPECS).map(([name, spec]) => [name, spec.permissions])) as unknown as Record<SourceName, readonly string[]>),
  groups: ['GroupMember.Read.All'],
  applications: ['Application.Read.All'],
};

export function permissionFix(resource: GraphResource): string {
  const perms = REQUIRED_PERMISSIONS[resource];
  const list = perms.length === 1 ? perms[0] : `${perms.slice(0, -1).join(', ')} and ${perms[perms.length - 1]}`;
  return `the app needs the Microsoft Graph application permission${perms.length === 1 ? '' : 's'} ${list} with admin consent: ` +
    'Azure portal → App registrations → (the app) → API permissions → Add a permission → Microsoft Graph → ' +
    'Application permissions, then "Grant admin consent"';
}

const LICENCE_NAMES: Record<Exclude<Licence, 'none'>, string> = { P1: 'Microsoft Entra ID P1 or P2', P2: 'Microsoft Entra ID P2' };

export function licenceFix(resource: GraphResource): string {
  const need = resource in SOURCE_SPECS ? SOURCE_SPECS[resource as SourceName].licence : 'none';
  const name = need === 'none' ? LICENCE_NAMES.P1 : LICENCE_NAMES[need];
  return `reading ${resource} needs a ${name} licence in the tenant (free tenants and B2C tenants cannot read it ` +
    'through Graph): add the licence under Microsoft Entra admin center → Billing → Licenses';
}
