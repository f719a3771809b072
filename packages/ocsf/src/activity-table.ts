import { ACCOUNT_CHANGE, ENTITY_MANAGEMENT, GROUP_MANAGEMENT, USER_ACCESS, activityIdOf, OTHER } from './classes';

/**
 * THE table deciding the OCSF class and activity of a directory audit, from `activityDisplayName` (+ `category` where
 * the same name means different things). Never from `operationType`: Graph writes "Update" for password resets,
 * account disables and MFA registrations alike. One row per Entra activity; extend it by adding rows.
 *
 * Policy (docs/mapping.md): user account lifecycle and credentials → Account Change 3001; group lifecycle, members,
 * owners and app roles on groups → Group Management 3006; privileges given to / taken from a principal (directory
 * roles incl. PIM, app role assignments, delegated grants, consent, owners of apps) → User Access Management 3005;
 * every other directory object → Entity Management 3004 with `entity.type` naming the Entra object type.
 */
export type AuditClassUid = typeof ACCOUNT_CHANGE | typeof ENTITY_MANAGEMENT | typeof USER_ACCESS | typeof GROUP_MANAGEMENT;

export interface ActivityRow {
  /** An exact display name (case-insensitive), or a prefix for families like "Update application – …". */
  match: { activity: string; category?: string } | { startsWith: string; category?: string };
  class: AuditClassUid;
  /** The OCSF activity caption of `class` (checked at load time). */
  activity: string;
  /**
   * Entity Management: the Entra object type written as `entity.type`. User Access / Group Management: the type of
   * the target holding the privilege (role, service principal, access package).
   */
  object?: string;
  /** Target `type`s that hold `object`, when Graph names it differently (named locations are type "Policy"). */
  targets?: string[];
  /** Target types that can be the principal (member, owner, grantee); defaults per class in the mapper. */
  principal?: string[];
  /** Privilege name when the record carries none (Group Management / User Access Management). */
  privilege?: string;
  /** Refines the activity from the changed properties, e.g. "Update user" that disables the account. */
  refine?: 'userUpdate';
}

const A = ACCOUNT_CHANGE;
const G = GROUP_MANAGEMENT;
const U = USER_ACCESS;
const E = ENTITY_MANAGEMENT;
const ROLE = { object: 'Role', targets: ['Role'] };
const SP = 'ServicePrincipal';

export const DIRECTORY_AUDIT_ACTIVITY_TABLE: readonly ActivityRow[] = [
  // ── Account Change 3001: user accounts, their credentials and MFA methods ──
  { match: { activity: 'Add user' }, class: A, activity: 'Create' },
  { match: { activity: 'Invite external user' }, class: A, activity: 'Create' },
  { match: { activity: 'Redeem external user invite' }, class: A, activity: 'Other' },
  { match: { activity: 'Update user' }, class: A, activity: 'Other', refine: 'userUpdate' },
  { match: { activity: 'Delete user' }, class: A, activity: 'Delete' },
  { match: { activity: 'Hard Delete user' }, class: A, activity: 'Delete' },
  { match: { activity: 'Restore user' }, class: A, activity: 'Other' },
  { match: { activity: 'Disable account' }, class: A, activity: 'Disable' },
  { match: { activity: 'Enable account' }, class: A, activity: 'Enable' },
  { match: { activity: 'Reset user password' }, class: A, activity: 'Password Reset' },
  { match: { activity: 'Reset password (by admin)' }, class: A, activity: 'Password Reset' },
  { match: { activity: 'Reset password (self-service)' }, class: A, activity: 'Password Reset' },
  { match: { activity: 'Change user password' }, class: A, activity: 'Password Change' },
  { match: { activity: 'Change password (self-service)' }, class: A, activity: 'Password Change' },
  { match: { activity: 'Set force change user password' }, class: A, activity: 'Other' },
  { match: { activity: 'Unlock user account (self-service)' }, class: A, activity: 'Unlock' },
  { match: { activity: 'Self-service password reset flow activity progress' }, class: A, activity: 'Other' },
  { match: { activity: 'Blocked from self-service password reset' }, class: A, activity: 'Other' },
  { match: { activity: 'User registered security info' }, class: A, activity: 'MFA Factor Enable' },
  { match: { activity: 'User registered all required security info' }, class: A, activity: 'MFA Factor Enable' },
  { match: { activity: 'Admin registered security info' }, class: A, activity: 'MFA Factor Enable' },
  { match: { activity: 'User deleted security info' }, class: A, activity: 'MFA Factor Disable' },
  { match: { activity: 'Admin deleted security info' }, class: A, activity: 'MFA Factor Disable' },
  { match: { activity: 'Disable Strong Authentication' }, class: A, activity: 'MFA Factor Disable' },
  { match: { activity: 'User changed default security info' }, class: A, activity: 'Other' },
  { match: { activity: 'Change user license' }, class: A, activity: 'Other' },
  { match: { activity: 'Update StsRefreshTokenValidFrom Timestamp' }, class: A, activity: 'Other' },
  { match: { activity: 'Set user manager' }, class: A, activity: 'Other' },
  { match: { activity: 'Update user principal name' }, class: A, activity: 'Other' },

  // ── Group Management 3006: groups, their members, owners and app roles ──
  { match: { activity: 'Add group' }, class: G, activity: 'Create' },
  { match: { activity: 'Delete group' }, class: G, activity: 'Delete' },
  { match: { activity: 'Hard Delete group' }, class: G, activity: 'Delete' },
  { match: { activity: 'Update group' }, class: G, activity: 'Other' },
  { match: { activity: 'Restore group' }, class: G, activity: 'Other' },
  { match: { activity: 'Add member to group' }, class: G, activity: 'Add User' }, // Add Subgroup when the member is a group
  { match: { activity: 'Remove member from group' }, class: G, activity: 'Remove User' },
  { match: { activity: 'Add owner to group' }, class: G, activity: 'Assign Privileges', privilege: 'Owner' },
  { match: { activity: 'Remove owner from group' }, class: G, activity: 'Revoke Privileges', privilege: 'Owner' },
  { match: { activity: 'Add app role assignment to group' }, class: G, activity: 'Assign Privileges', object: SP, privilege: 'App role' },
  { match: { activity: 'Remove app role assignment from group' }, class: G, activity: 'Revoke Privileges', object: SP, privilege: 'App role' },
  { match: { activity: 'Set group license' }, class: G, activity: 'Other' },
  { match: { activity: 'Start applying group based license to users' }, class: G, activity: 'Other' },
  { match: { activity: 'Finish applying group based license to user' }, class: G, activity: 'Other' },

  // ── User Access Management 3005: directory roles (direct and PIM), app roles, grants, consent, app owners ──
  { match: { activity: 'Add member to role' }, class: U, activity: 'Assign Privileges', ...ROLE },
  { match: { activity: 'Remove member from role' }, class: U, activity: 'Revoke Privileges', ...ROLE },
  { match: { activity: 'Add eligible member to role' }, class: U, activity: 'Assign Privileges', ...ROLE },
  { match: { activity: 'Remove eligible member from role' }, class: U, activity: 'Revoke Privileges', ...ROLE },
  { match: { activity: 'Add scoped member to role' }, class: U, activity: 'Assign Privileges', ...ROLE },
  { match: { activity: 'Remove scoped member from role' }, class: U, activity: 'Revoke Privileges', ...ROLE },
  { match: { activity: 'Add member to role in PIM completed (permanent)' }, class: U, activity: 'Assign Privileges', ...ROLE },
  { match: { activity: 'Add member to role in PIM completed (timebound)' }, class: U, activity: 'Assign Privileges', ...ROLE },
  { match: { activity: 'Add eligible member to role in PIM completed (permanent)' }, class: U, activity: 'Assign Privileges', ...ROLE },
  { match: { activity: 'Add eligible member to role in PIM completed (timebound)' }, class: U, activity: 'Assign Privileges', ...ROLE },
  { match: { activity: 'Add member to role completed (PIM activation)' }, class: U, activity: 'Assign Privileges', ...ROLE },
  { match: { activity: 'Remove member from role (PIM activation expired)' }, class: U, activity: 'Revoke Privileges', ...ROLE },
  { match: { activity: 'Remove member from role in PIM completed (permanent)' }, class: U, activity: 'Revoke Privileges', ...ROLE },
  { match: { activity: 'Remove eligible member from role in PIM completed (permanent)' }, class: U, activity: 'Revoke Privileges', ...ROLE },
  { match: { activity: 'Remove eligible member from role in PIM completed (timebound)' }, class: U, activity: 'Revoke Privileges', ...ROLE },
  // A request is not yet a grant: it is privilege-related but neither Assign nor Revoke.
  { match: { activity: 'Add member to role in PIM requested (permanent)' }, class: U, activity: 'Other', ...ROLE },
  { match: { activity: 'Add eligible member to role in PIM requested (permanent)' }, class: U, activity: 'Other', ...ROLE },
  { match: { activity: 'Add member to role requested (PIM activation)' }, class: U, activity: 'Other', ...ROLE },
  { match: { activity: 'Add app role assignment grant to user' }, class: U, activity: 'Assign Privileges', object: SP, principal: ['User'], privilege: 'App role' },
  { match: { activity: 'Remove app role assignment from user' }, class: U, activity: 'Revoke Privileges', object: SP, principal: ['User'], privilege: 'App role' },
  { match: { activity: 'Add app role assignment to service principal' }, class: U, activity: 'Assign Privileges', object: SP, principal: [SP], privilege: 'App role' },
  { match: { activity: 'Remove app role assignment from service principal' }, class: U, activity: 'Revoke Privileges', object: SP, principal: [SP], privilege: 'App role' },
  { match: { activity: 'Add delegated permission grant' }, class: U, activity: 'Assign Privileges', object: SP, principal: [SP], privilege: 'Delegated permission' },
  { match: { activity: 'Remove delegated permission grant' }, class: U, activity: 'Revoke Privileges', object: SP, principal: [SP], privilege: 'Delegated permission' },
  { match: { activity: 'Consent to application' }, class: U, activity: 'Assign Privileges', principal: [SP], privilege: 'Consent' },
  { match: { activity: 'Revoke consent' }, class: U, activity: 'Revoke Privileges', principal: [SP], privilege: 'Consent' },
  { match: { activity: 'Add owner to application' }, class: U, activity: 'Assign Privileges', object: 'Application', principal: ['User', SP], privilege: 'Owner' },
  { match: { activity: 'Remove owner from application' }, class: U, activity: 'Revoke Privileges', object: 'Application', principal: ['User', SP], privilege: 'Owner' },
  { match: { activity: 'Add owner to service principal' }, class: U, activity: 'Assign Privileges', object: SP, principal: ['User', SP], privilege: 'Owner' },
  { match: { activity: 'Remove owner from service principal' }, class: U, activity: 'Revoke Privileges', object: SP, principal: ['User', SP], privilege: 'Owner' },
  { match: { activity: 'Fulfill access package assignment request' }, class: U, activity: 'Assign Privileges', object: 'AccessPackage', targets: ['AccessPackage', 'Other'], principal: ['User'], privilege: 'Access package' },
  { match: { activity: 'Administrator directly removes user access package assignment' }, class: U, activity: 'Revoke Privileges', object: 'AccessPackage', targets: ['AccessPackage', 'Other'], principal: ['User'], privilege: 'Access package' },

  // ── Entity Management 3004: applications, service principals, policies, devices, directory, AUs, ELM ──
  { match: { activity: 'Add application' }, class: E, activity: 'Create', object: 'Application' },
  { match: { activity: 'Update application' }, class: E, activity: 'Update', object: 'Application' },
  { match: { startsWith: 'Update application – ' }, class: E, activity: 'Update', object: 'Application' },
  { match: { startsWith: 'Update application - ' }, class: E, activity: 'Update', object: 'Application' },
  { match: { activity: 'Delete application' }, class: E, activity: 'Delete', object: 'Application' },
  { match: { activity: 'Hard Delete application' }, class: E, activity: 'Delete', object: 'Application' },
  { match: { activity: 'Restore application' }, class: E, activity: 'Other', object: 'Application' },
  { match: { activity: 'Add service principal' }, class: E, activity: 'Create', object: SP },
  { match: { activity: 'Update service principal' }, class: E, activity: 'Update', object: SP },
  { match: { activity: 'Remove service principal' }, class: E, activity: 'Delete', object: SP },
  { match: { activity: 'Add service principal credentials' }, class: E, activity: 'Update', object: SP },
  { match: { activity: 'Remove service principal credentials' }, class: E, activity: 'Update', object: SP },
  { match: { activity: 'Add conditional access policy' }, class: E, activity: 'Create', object: 'ConditionalAccessPolicy', targets: ['Policy'] },
  { match: { activity: 'Update conditional access policy' }, class: E, activity: 'Update', object: 'ConditionalAccessPolicy', targets: ['Policy'] },
  { match: { activity: 'Delete conditional access policy' }, class: E, activity: 'Delete', object: 'ConditionalAccessPolicy', targets: ['Policy'] },
  { match: { activity: 'Add named location' }, class: E, activity: 'Create', object: 'NamedLocation', targets: ['Policy'] },
  { match: { activity: 'Update named location' }, class: E, activity: 'Update', object: 'NamedLocation', targets: ['Policy'] },
  { match: { activity: 'Delete named location' }, class: E, activity: 'Delete', object: 'NamedLocation', targets: ['Policy'] },
  { match: { activity: 'Update authorization policy' }, class: E, activity: 'Update', object: 'AuthorizationPolicy', targets: ['Policy'] },
  { match: { activity: 'Authentication Methods Policy Update' }, class: E, activity: 'Update', object: 'AuthenticationMethodsPolicy', targets: ['Policy'] },
  { match: { activity: 'Add policy' }, class: E, activity: 'Create', object: 'Policy' },
  { match: { activity: 'Update policy' }, class: E, activity: 'Update', object: 'Policy' },
  { match: { activity: 'Delete policy' }, class: E, activity: 'Delete', object: 'Policy' },
  { match: { activity: 'Register device' }, class: E, activity: 'Enroll', object: 'Device' },
  { match: { activity: 'Unregister device' }, class: E, activity: 'Unenroll', object: 'Device' },
  { match: { activity: 'Add device' }, class: E, activity: 'Create', object: 'Device' },
  { match: { activity: 'Update device' }, class: E, activity: 'Update', object: 'Device' },
  { match: { activity: 'Delete device' }, class: E, activity: 'Delete', object: 'Device' },
  { match: { activity: 'Device no longer compliant' }, class: E, activity: 'Other', object: 'Device' },
  { match: { activity: 'Add registered owner to device' }, class: E, activity: 'Update', object: 'Device' },
  { match: { activity: 'Add registered users to device' }, class: E, activity: 'Update', object: 'Device' },
  { match: { activity: 'Remove registered owner from device' }, class: E, activity: 'Update', object: 'Device' },
  { match: { activity: 'Remove registered users from device' }, class: E, activity: 'Update', object: 'Device' },
  { match: { activity: 'Add unverified domain' }, class: E, activity: 'Create', object: 'Domain', targets: ['Directory', 'Domain'] },
  { match: { activity: 'Add verified domain' }, class: E, activity: 'Create', object: 'Domain', targets: ['Directory', 'Domain'] },
  { match: { activity: 'Verify domain' }, class: E, activity: 'Update', object: 'Domain', targets: ['Directory', 'Domain'] },
  { match: { activity: 'Remove verified domain' }, class: E, activity: 'Delete', object: 'Domain', targets: ['Directory', 'Domain'] },
  { match: { activity: 'Remove unverified domain' }, class: E, activity: 'Delete', object: 'Domain', targets: ['Directory', 'Domain'] },
  { match: { activity: 'Set domain authentication' }, class: E, activity: 'Update', object: 'Domain', targets: ['Directory', 'Domain'] },
  { match: { activity: 'Update company settings' }, class: E, activity: 'Update', object: 'Company', targets: ['Directory', 'Company'] },
  { match: { activity: 'Set Company Information' }, class: E, activity: 'Update', object: 'Company', targets: ['Directory', 'Company'] },
  { match: { activity: 'Set directory feature on tenant' }, class: E, activity: 'Update', object: 'Company', targets: ['Directory', 'Company'] },
  { match: { activity: 'Add administrative unit' }, class: E, activity: 'Create', object: 'AdministrativeUnit', targets: ['AdministrativeUnit', 'Other'] },
  { match: { activity: 'Update administrative unit' }, class: E, activity: 'Update', object: 'AdministrativeUnit', targets: ['AdministrativeUnit', 'Other'] },
  { match: { activity: 'Delete administrative unit' }, class: E, activity: 'Delete', object: 'AdministrativeUnit', targets: ['AdministrativeUnit', 'Other'] },
  { match: { activity: 'Add member to administrative unit' }, class: E, activity: 'Update', object: 'AdministrativeUnit', targets: ['AdministrativeUnit', 'Other'] },
  { match: { activity: 'Remove member from administrative unit' }, class: E, activity: 'Update', object: 'AdministrativeUnit', targets: ['AdministrativeUnit', 'Other'] },
  { match: { activity: 'Create access package' }, class: E, activity: 'Create', object: 'AccessPackage', targets: ['AccessPackage', 'Other'] },
  { match: { activity: 'Delete access package' }, class: E, activity: 'Delete', object: 'AccessPackage', targets: ['AccessPackage', 'Other'] },
  { match: { activity: 'Create access package assignment policy' }, class: E, activity: 'Create', object: 'AccessPackageAssignmentPolicy', targets: ['AccessPackageAssignmentPolicy', 'Other'] },
  { match: { activity: 'User requests access package assignment' }, class: E, activity: 'Other', object: 'AccessPackageAssignmentRequest', targets: ['AccessPackageAssignmentRequest', 'Other'] },
  { match: { activity: 'Approve access package assignment request' }, class: E, activity: 'Other', object: 'AccessPackageAssignmentRequest', targets: ['AccessPackageAssignmentRequest', 'Other'] },
  { match: { activity: 'Add role definition' }, class: E, activity: 'Create', object: 'RoleDefinition', targets: ['Role', 'RoleDefinition'] },
  { match: { activity: 'Update role definition' }, class: E, activity: 'Update', object: 'RoleDefinition', targets: ['Role', 'RoleDefinition'] },
  { match: { activity: 'Delete role definition' }, class: E, activity: 'Delete', object: 'RoleDefinition', targets: ['Role', 'RoleDefinition'] },
];

/** Where an activity the table does not know goes: its category's class (Other), else Entity Management Other. */
export const CATEGORY_FALLBACK: ReadonlyMap<string, AuditClassUid> = new Map<string, AuditClassUid>([
  ['usermanagement', ACCOUNT_CHANGE],
  ['groupmanagement', GROUP_MANAGEMENT],
  ['rolemanagement', USER_ACCESS],
]);

/** A row resolved for fast lookup: the activity id is computed once, at load. */
export interface ResolvedRow extends ActivityRow {
  activityId: number;
}

/** A row with its category lower-cased once at load (undefined: the row matches any category). */
interface Candidate {
  row: ResolvedRow;
  categoryKey: string | undefined;
}

const byName = new Map<string, Candidate[]>();
/** The same lists under the table's own spelling, so a display name written as in the table skips lower-casing. */
const byExactName = new Map<string, Candidate[]>();
const prefixRows: Array<Candidate & { prefix: string }> = [];

for (const row of DIRECTORY_AUDIT_ACTIVITY_TABLE) {
  const resolved: ResolvedRow = { ...row, activityId: activityIdOf(row.class, row.activity) };
  const candidate: Candidate = { row: resolved, categoryKey: row.match.category ? row.match.category.toLowerCase() : undefined };
  if ('activity' in row.match) {
    const key = row.match.activity.toLowerCase();
    const list = byName.get(key);
    // Rows with a category come first so they win over a category-less row of the same name.
    if (!list) byName.set(key, [candidate]);
    else if (row.match.category) list.unshift(candidate);
    else list.push(candidate);
  } else {
    prefixRows.push({ ...candidate, prefix: row.match.startsWith.toLowerCase() });
  }
}
for (const row of DIRECTORY_AUDIT_ACTIVITY_TABLE) {
  if ('activity' in row.match) byExactName.set(row.match.activity, byName.get(row.match.activity.toLowerCase())!);
}

/** The table row for a display name + category, or undefined when the activity is not in the table. */
export function lookupActivity(displayName: string, category: string | undefined): ResolvedRow | undefined {
  const categoryKey = category?.toLowerCase();
  const rows = byExactName.get(displayName) ?? byName.get(displayName.toLowerCase());
  if (rows) {
    for (const c of rows) {
      if (c.categoryKey === undefined || c.categoryKey === categoryKey) return c.row;
    }
  }
  const key = displayName.toLowerCase();
  for (const c of prefixRows) {
    if (key.startsWith(c.prefix) && (c.categoryKey === undefined || c.categoryKey === categoryKey)) return c.row;
  }
  return undefined;
}

/** The Other row of the class an unknown activity falls into. */
export function fallbackRow(category: string | undefined): ResolvedRow {
  const cls = (category !== undefined && CATEGORY_FALLBACK.get(category.toLowerCase())) || ENTITY_MANAGEMENT;
  return FALLBACK_ROWS[cls];
}

const FALLBACK_ROWS: Record<AuditClassUid, ResolvedRow> = {
  [ACCOUNT_CHANGE]: { match: { activity: '' }, class: ACCOUNT_CHANGE, activity: 'Other', activityId: OTHER },
  [GROUP_MANAGEMENT]: { match: { activity: '' }, class: GROUP_MANAGEMENT, activity: 'Other', activityId: OTHER },
  [USER_ACCESS]: { match: { activity: '' }, class: USER_ACCESS, activity: 'Other', activityId: OTHER, ...ROLE },
  [ENTITY_MANAGEMENT]: { match: { activity: '' }, class: ENTITY_MANAGEMENT, activity: 'Other', activityId: OTHER },
};

export const ENTITY_MANAGEMENT_OTHER: ResolvedRow = FALLBACK_ROWS[ENTITY_MANAGEMENT];
