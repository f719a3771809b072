/**
 * The Entra audit activities the simulator generates, with Microsoft's own category, display name and logging
 * service. Weights shape the traffic mix of a living tenant: membership churn and user updates dominate real
 * tenants, while domain and policy changes are rare. Other packages (the OCSF mapper) use this list to prove
 * they can map every activity the simulator emits, so keep the shape stable.
 */
export interface CatalogActivity {
  category: string;
  activityDisplayName: string;
  operationType: 'Add' | 'Update' | 'Delete' | 'Assign' | 'Unassign' | 'Other';
  loggedByService: string;
  /** The `type` of each target resource, in order. */
  targetTypes: string[];
  initiator: 'user' | 'app' | 'either';
  /** Relative frequency in generated traffic. */
  weight: number;
  /** Share of generated records whose result is 'failure'. */
  failureRate?: number;
}

const CORE = 'Core Directory';
const SSPR = 'Self-service Password Management';
const AUTH_METHODS = 'Authentication Methods';
const PIM = 'PIM';
const CA = 'Conditional Access';
const ELM = 'Entitlement Management';
const B2B = 'Invited Users';
const DEVICE_REG = 'Device Registration Service';

type Row = [
  category: string,
  activityDisplayName: string,
  operationType: CatalogActivity['operationType'],
  loggedByService: string,
  targetTypes: string[],
  initiator: CatalogActivity['initiator'],
  weight: number,
  failureRate?: number,
];

// Compact table form: one real Entra activity per line.
const ROWS: Row[] = [
  // Users
  ['UserManagement', 'Add user', 'Add', CORE, ['User'], 'either', 30, 0.02],
  ['UserManagement', 'Update user', 'Update', CORE, ['User'], 'either', 120, 0.01],
  ['UserManagement', 'Delete user', 'Delete', CORE, ['User'], 'either', 8, 0.01],
  ['UserManagement', 'Hard Delete user', 'Delete', CORE, ['User'], 'either', 2],
  ['UserManagement', 'Restore user', 'Update', CORE, ['User'], 'user', 1],
  ['UserManagement', 'Disable account', 'Update', CORE, ['User'], 'either', 6],
  ['UserManagement', 'Enable account', 'Update', CORE, ['User'], 'either', 3],
  ['UserManagement', 'Reset user password', 'Update', CORE, ['User'], 'user', 10, 0.05],
  ['UserManagement', 'Change user password', 'Update', CORE, ['User'], 'user', 8, 0.03],
  ['UserManagement', 'Set force change user password', 'Update', CORE, ['User'], 'user', 4],
  ['UserManagement', 'Change user license', 'Update', CORE, ['User'], 'either', 10],
  ['UserManagement', 'Update StsRefreshTokenValidFrom Timestamp', 'Update', CORE, ['User'], 'either', 12],
  ['UserManagement', 'Set user manager', 'Update', CORE, ['User'], 'either', 2],
  ['UserManagement', 'Reset password (by admin)', 'Update', SSPR, ['User'], 'user', 6, 0.04],
  ['UserManagement', 'Reset password (self-service)', 'Update', SSPR, ['User'], 'user', 9, 0.12],
  ['UserManagement', 'Change password (self-service)', 'Update', SSPR, ['User'], 'user', 7, 0.08],
  ['UserManagement', 'Unlock user account (self-service)', 'Update', SSPR, ['User'], 'user', 2, 0.1],
  ['UserManagement', 'Self-service password reset flow activity progress', 'Other', SSPR, ['User'], 'user', 14, 0.2],
  ['UserManagement', 'Blocked from self-service password reset', 'Other', SSPR, ['User'], 'user', 1, 1],
  ['UserManagement', 'User registered security info', 'Add', AUTH_METHODS, ['User'], 'user', 15, 0.05],
  ['UserManagement', 'User deleted security info', 'Delete', AUTH_METHODS, ['User'], 'user', 4],
  ['UserManagement', 'User changed default security info', 'Update', AUTH_METHODS, ['User'], 'user', 3],
  ['UserManagement', 'User registered all required security info', 'Add', AUTH_METHODS, ['User'], 'user', 6],
  ['UserManagement', 'Admin registered security info', 'Add', AUTH_METHODS, ['User'], 'user', 2],
  ['UserManagement', 'Admin deleted security info', 'Delete', AUTH_METHODS, ['User'], 'user', 1],
  ['UserManagement', 'Invite external user', 'Add', B2B, ['User'], 'either', 4, 0.03],
  ['UserManagement', 'Redeem external user invite', 'Update', B2B, ['User'], 'user', 3],

  // Groups
  ['GroupManagement', 'Add group', 'Add', CORE, ['Group'], 'either', 8, 0.01],
  ['GroupManagement', 'Update group', 'Update', CORE, ['Group'], 'either', 14],
  ['GroupManagement', 'Delete group', 'Delete', CORE, ['Group'], 'either', 3],
  ['GroupManagement', 'Hard Delete group', 'Delete', CORE, ['Group'], 'either', 1],
  ['GroupManagement', 'Restore group', 'Update', CORE, ['Group'], 'user', 1],
  ['GroupManagement', 'Add member to group', 'Assign', CORE, ['Group', 'User'], 'either', 60, 0.01],
  ['GroupManagement', 'Remove member from group', 'Unassign', CORE, ['Group', 'User'], 'either', 25],
  ['GroupManagement', 'Add owner to group', 'Assign', CORE, ['Group', 'User'], 'either', 5],
  ['GroupManagement', 'Remove owner from group', 'Unassign', CORE, ['Group', 'User'], 'either', 2],
  ['GroupManagement', 'Add app role assignment to group', 'Assign', CORE, ['ServicePrincipal', 'Group'], 'either', 3],
  ['GroupManagement', 'Remove app role assignment from group', 'Unassign', CORE, ['ServicePrincipal', 'Group'], 'either', 1],
  ['GroupManagement', 'Set group license', 'Update', CORE, ['Group'], 'user', 2],
  ['GroupManagement', 'Start applying group based license to users', 'Update', CORE, ['Group'], 'app', 2],
  ['GroupManagement', 'Finish applying group based license to user', 'Update', CORE, ['Group'], 'app', 2],

  // Directory roles (direct and through Privileged Identity Management)
  ['RoleManagement', 'Add member to role', 'Assign', CORE, ['Role', 'User'], 'either', 6, 0.02],
  ['RoleManagement', 'Remove member from role', 'Unassign', CORE, ['Role', 'User'], 'either', 4],
  ['RoleManagement', 'Add eligible member to role', 'Assign', CORE, ['Role', 'User'], 'app', 3],
  ['RoleManagement', 'Remove eligible member from role', 'Unassign', CORE, ['Role', 'User'], 'app', 1],
  ['RoleManagement', 'Add scoped member to role', 'Assign', CORE, ['Role', 'User'], 'user', 1],
  ['RoleManagement', 'Add member to role in PIM requested (permanent)', 'Assign', PIM, ['Role', 'User'], 'user', 2],
  ['RoleManagement', 'Add member to role in PIM completed (permanent)', 'Assign', PIM, ['Role', 'User'], 'user', 2],
  ['RoleManagement', 'Add eligible member to role in PIM requested (permanent)', 'Assign', PIM, ['Role', 'User'], 'user', 2],
  ['RoleManagement', 'Add eligible member to role in PIM completed (permanent)', 'Assign', PIM, ['Role', 'User'], 'user', 2],
  ['RoleManagement', 'Add member to role requested (PIM activation)', 'Assign', PIM, ['Role', 'User'], 'user', 6, 0.05],
  ['RoleManagement', 'Add member to role completed (PIM activation)', 'Assign', PIM, ['Role', 'User'], 'user', 6],
  ['RoleManagement', 'Remove member from role (PIM activation expired)', 'Unassign', PIM, ['Role', 'User'], 'app', 5],
  ['RoleManagement', 'Remove eligible member from role in PIM completed (permanent)', 'Unassign', PIM, ['Role', 'User'], 'user', 1],

  // Applications and service principals. The credentials activity uses an en dash, as the logs do.
  ['ApplicationManagement', 'Add application', 'Add', CORE, ['Application'], 'either', 3],
  ['ApplicationManagement', 'Update application', 'Update', CORE, ['Application'], 'either', 6],
  ['ApplicationManagement', 'Delete application', 'Delete', CORE, ['Application'], 'either', 1],
  ['ApplicationManagement', 'Hard Delete application', 'Delete', CORE, ['Application'], 'user', 1],
  ['ApplicationManagement', 'Restore application', 'Update', CORE, ['Application'], 'user', 1],
  ['ApplicationManagement', 'Update application – Certificates and secrets management', 'Update', CORE, ['Application'], 'either', 3],
  ['ApplicationManagement', 'Add owner to application', 'Assign', CORE, ['Application', 'User'], 'user', 1],
  ['ApplicationManagement', 'Remove owner from application', 'Unassign', CORE, ['Application', 'User'], 'user', 1],
  ['ApplicationManagement', 'Add service principal', 'Add', CORE, ['ServicePrincipal'], 'either', 4],
  ['ApplicationManagement', 'Update service principal', 'Update', CORE, ['ServicePrincipal'], 'either', 5],
  ['ApplicationManagement', 'Remove service principal', 'Delete', CORE, ['ServicePrincipal'], 'either', 1],
  ['ApplicationManagement', 'Add service principal credentials', 'Update', CORE, ['ServicePrincipal'], 'either', 2],
  ['ApplicationManagement', 'Remove service principal credentials', 'Update', CORE, ['ServicePrincipal'], 'either', 1],
  ['ApplicationManagement', 'Add app role assignment to service principal', 'Assign', CORE, ['ServicePrincipal', 'ServicePrincipal'], 'either', 3],
  ['ApplicationManagement', 'Remove app role assignment from service principal', 'Unassign', CORE, ['ServicePrincipal', 'ServicePrincipal'], 'either', 1],
  ['UserManagement', 'Add app role assignment grant to user', 'Assign', CORE, ['ServicePrincipal', 'User'], 'either', 8],
  ['UserManagement', 'Remove app role assignment from user', 'Unassign', CORE, ['ServicePrincipal', 'User'], 'either', 3],
  ['ApplicationManagement', 'Add delegated permission grant', 'Assign', CORE, ['ServicePrincipal', 'ServicePrincipal'], 'either', 4],
  ['ApplicationManagement', 'Remove delegated permission grant', 'Unassign', CORE, ['ServicePrincipal', 'ServicePrincipal'], 'either', 1],
  ['ApplicationManagement', 'Consent to application', 'Assign', CORE, ['ServicePrincipal'], 'user', 5, 0.1],
  ['ApplicationManagement', 'Add owner to service principal', 'Assign', CORE, ['ServicePrincipal', 'User'], 'user', 1],

  // Policies. Conditional Access writes its activity names in lower case in real logs (the reference table
  // capitalises them); we follow the logs.
  ['Policy', 'Add conditional access policy', 'Add', CA, ['Policy'], 'user', 1],
  ['Policy', 'Update conditional access policy', 'Update', CA, ['Policy'], 'user', 2],
  ['Policy', 'Delete conditional access policy', 'Delete', CA, ['Policy'], 'user', 1],
  ['Policy', 'Add named location', 'Add', CA, ['Policy'], 'user', 1],
  ['Policy', 'Update named location', 'Update', CA, ['Policy'], 'user', 1],
  ['Policy', 'Delete named location', 'Delete', CA, ['Policy'], 'user', 1],
  ['AuthorizationPolicy', 'Update authorization policy', 'Update', CORE, ['Policy'], 'user', 1],
  ['Policy', 'Add policy', 'Add', CORE, ['Policy'], 'either', 1],
  ['Policy', 'Update policy', 'Update', CORE, ['Policy'], 'either', 2],
  ['Policy', 'Delete policy', 'Delete', CORE, ['Policy'], 'either', 1],
  ['ApplicationManagement', 'Authentication Methods Policy Update', 'Update', AUTH_METHODS, ['Policy'], 'user', 1],

  // Devices
  ['Device', 'Add device', 'Add', CORE, ['Device'], 'app', 8],
  ['Device', 'Update device', 'Update', CORE, ['Device'], 'app', 12],
  ['Device', 'Delete device', 'Delete', CORE, ['Device'], 'either', 2],
  ['Device', 'Register device', 'Add', DEVICE_REG, ['Device'], 'user', 6, 0.04],
  ['Device', 'Add registered owner to device', 'Assign', CORE, ['Device', 'User'], 'app', 5],
  ['Device', 'Add registered users to device', 'Assign', CORE, ['Device', 'User'], 'app', 5],
  ['Device', 'Remove registered owner from device', 'Unassign', CORE, ['Device', 'User'], 'either', 1],
  ['Device', 'Device no longer compliant', 'Update', CORE, ['Device'], 'app', 3],

  // Directory and administrative units
  ['DirectoryManagement', 'Add unverified domain', 'Add', CORE, ['Directory'], 'user', 1],
  ['DirectoryManagement', 'Verify domain', 'Update', CORE, ['Directory'], 'user', 1, 0.3],
  ['DirectoryManagement', 'Add verified domain', 'Add', CORE, ['Directory'], 'user', 1],
  ['DirectoryManagement', 'Remove verified domain', 'Delete', CORE, ['Directory'], 'user', 1],
  ['DirectoryManagement', 'Update company settings', 'Update', CORE, ['Directory'], 'user', 1],
  ['DirectoryManagement', 'Set directory feature on tenant', 'Update', CORE, ['Directory'], 'either', 1],
  ['AdministrativeUnit', 'Add administrative unit', 'Add', CORE, ['Other'], 'user', 1],
  ['AdministrativeUnit', 'Delete administrative unit', 'Delete', CORE, ['Other'], 'user', 1],
  ['AdministrativeUnit', 'Add member to administrative unit', 'Assign', CORE, ['Other', 'User'], 'either', 2],
  ['AdministrativeUnit', 'Remove member from administrative unit', 'Unassign', CORE, ['Other', 'User'], 'either', 1],

  // Entitlement management
  ['EntitlementManagement', 'Create access package', 'Add', ELM, ['Other'], 'user', 1],
  ['EntitlementManagement', 'Create access package assignment policy', 'Add', ELM, ['Other'], 'user', 1],
  ['EntitlementManagement', 'User requests access package assignment', 'Add', ELM, ['Other', 'User'], 'user', 3],
  ['EntitlementManagement', 'Approve access package assignment request', 'Update', ELM, ['Other', 'User'], 'user', 2],
  ['EntitlementManagement', 'Fulfill access package assignment request', 'Update', ELM, ['Other', 'User'], 'app', 2, 0.05],
  ['EntitlementManagement', 'Administrator directly removes user access package assignment', 'Unassign', ELM, ['Other', 'User'], 'either', 1],
];

export const ACTIVITY_CATALOG: readonly CatalogActivity[] = Object.freeze(
  ROWS.map(([category, activityDisplayName, operationType, loggedByService, targetTypes, initiator, weight, failureRate]) =>
    Object.freeze({
      category,
      activityDisplayName,
      operationType,
      loggedByService,
      targetTypes: Object.freeze([...targetTypes]) as string[],
      initiator,
      weight,
      ...(failureRate !== undefined ? { failureRate } : {}),
    }),
  ),
);
