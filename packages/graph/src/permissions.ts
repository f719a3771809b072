/** What each kind of Graph read needs: application permissions (with admin consent) and licence. */
export type GraphResource = 'directoryAudits' | 'signIns' | 'users' | 'groups' | 'applications';

export const REQUIRED_PERMISSIONS: Record<GraphResource, readonly string[]> = {
  directoryAudits: ['AuditLog.Read.All', 'Directory.Read.All'],
  signIns: ['AuditLog.Read.All'],
  users: ['User.Read.All'],
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

export function licenceFix(resource: GraphResource): string {
  return `reading ${resource} needs a Microsoft Entra ID P1 or P2 licence in the tenant (free tenants and B2C tenants ` +
    'cannot read sign-in or audit logs through Graph): add the licence under Microsoft Entra admin center → Billing → Licenses';
}
