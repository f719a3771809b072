import type { Action, Family } from './audit-vocabulary';

/**
 * Layer 1 of the directory-audit classification: exact activity names (case-insensitive; a prefix for families like
 * "Update application – …"), with `category` where one name means different things. A name here is decided by its
 * row; names not here go to the rules (audit-rules.ts), then to `operationType`. Rows name a family and an action,
 * never a class: audit-vocabulary.ts turns the two into the OCSF class and activity (one place for a class change).
 * Extend it by adding rows; `why` says the reason where the row is not what its verb would give.
 */
export interface ActivityRow {
  /** An exact display name (case-insensitive), or a prefix for families like "Update application – …". */
  match: { activity: string; category?: string } | { startsWith: string; category?: string };
  family: Family;
  action: Action;
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
  /** Why the row is not what its verb would say (shown in docs/mapping.md). */
  why?: string;
}

const ROLE = { object: 'Role', targets: ['Role'] };
const SP = 'ServicePrincipal';

export const DIRECTORY_AUDIT_ACTIVITY_TABLE: readonly ActivityRow[] = [
  // ── Account Change 3001: user accounts, their credentials and MFA methods ──
  { match: { activity: 'Add user' }, family: 'account', action: 'create' },
  { match: { activity: 'Invite external user' }, family: 'account', action: 'create' },
  { match: { activity: 'Redeem external user invite' }, family: 'account', action: 'other' },
  { match: { activity: 'Update user' }, family: 'account', action: 'other', refine: 'userUpdate' },
  { match: { activity: 'Delete user' }, family: 'account', action: 'delete' },
  { match: { activity: 'Hard Delete user' }, family: 'account', action: 'delete' },
  { match: { activity: 'Restore user' }, family: 'account', action: 'restore' },
  { match: { activity: 'Disable account' }, family: 'account', action: 'disable' },
  { match: { activity: 'Enable account' }, family: 'account', action: 'enable' },
  { match: { activity: 'Reset user password' }, family: 'password', action: 'passwordReset' },
  { match: { activity: 'Reset password (by admin)' }, family: 'password', action: 'passwordReset' },
  { match: { activity: 'Reset password (self-service)' }, family: 'password', action: 'passwordReset' },
  { match: { activity: 'Change user password' }, family: 'password', action: 'passwordChange' },
  { match: { activity: 'Change password (self-service)' }, family: 'password', action: 'passwordChange' },
  { match: { activity: 'User Password Reset' }, family: 'password', action: 'passwordReset' },
  { match: { activity: 'Viral user creation' }, family: 'account', action: 'create', why: 'a user created by signing up themselves' },
  { match: { activity: 'Redeem extern user invite' }, family: 'account', action: 'other' },
  { match: { activity: 'Restore multifactor authentication on all remembered devices' }, family: 'authMethod', action: 'mfaEnable', why: 'MFA is required again on devices that had skipped it' },
  { match: { activity: 'Generate one time password' }, family: 'authMethod', action: 'other', why: 'a one-time passcode sent to verify an address enables no factor' },
  { match: { activity: 'Verify one time password' }, family: 'authMethod', action: 'other' },
  { match: { activity: 'Set force change user password' }, family: 'password', action: 'other' },
  { match: { activity: 'Unlock user account (self-service)' }, family: 'account', action: 'unlock' },
  // The MFA block list (Microsoft's "Block/unblock users", MFA settings): every MFA attempt of a blocked user is denied
  // for 90 days or until an admin unblocks them. Nothing is created or deleted and the account stays enabled: the
  // user is locked out of sign-ins that need MFA, which is Account Change Lock/Unlock ("locked out or unlocked").
  { match: { activity: 'Add blocked user' }, family: 'account', action: 'lock', why: 'the user is put on the MFA block list: every MFA attempt is denied (90 days or until unblocked), a lockout' },
  { match: { activity: 'Clear block on user' }, family: 'account', action: 'unlock', why: 'the user is taken off the MFA block list' },
  { match: { activity: 'POST Tenant.CreateBlockedUser' }, family: 'account', action: 'lock', why: 'the MFA block list through the authentication methods API: a lockout' },
  { match: { activity: 'POST Tenant.RemoveBlockedUser' }, family: 'account', action: 'unlock', why: 'the user is taken off the MFA block list' },
  { match: { activity: 'Fraud reported - user is blocked for MFA' }, family: 'account', action: 'lock', why: 'a fraud report put the user on the MFA block list (automatic blocking): a lockout' },
  // Its one-time bypass (sign in without MFA for a few minutes) has no Account Change activity: no factor is removed.
  { match: { activity: 'Add bypass user' }, family: 'account', action: 'other', why: 'a one-time MFA bypass for the user: no Account Change activity says it, and no user is created' },
  { match: { activity: 'Remove bypassed user' }, family: 'account', action: 'other', why: 'a one-time MFA bypass withdrawn: no user is deleted' },
  { match: { activity: 'POST Tenant.CreateBypassedUser' }, family: 'account', action: 'other', why: 'a one-time MFA bypass for the user: no Account Change activity says it, and no user is created' },
  { match: { activity: 'POST Tenant.RemoveBypassedUser' }, family: 'account', action: 'other', why: 'a one-time MFA bypass withdrawn: no user is deleted' },
  { match: { activity: 'Self-service password reset flow activity progress' }, family: 'password', action: 'other' },
  { match: { activity: 'Blocked from self-service password reset' }, family: 'password', action: 'other' },
  { match: { activity: 'User registered security info' }, family: 'authMethod', action: 'mfaEnable' },
  { match: { activity: 'User registered all required security info' }, family: 'authMethod', action: 'mfaEnable' },
  { match: { activity: 'Admin registered security info' }, family: 'authMethod', action: 'mfaEnable' },
  { match: { activity: 'User deleted security info' }, family: 'authMethod', action: 'mfaDisable' },
  { match: { activity: 'Admin deleted security info' }, family: 'authMethod', action: 'mfaDisable' },
  { match: { activity: 'Disable Strong Authentication' }, family: 'authMethod', action: 'mfaDisable' },
  { match: { activity: 'User changed default security info' }, family: 'authMethod', action: 'other' },
  { match: { activity: 'Change user license' }, family: 'account', action: 'other' },
  { match: { activity: 'Update StsRefreshTokenValidFrom Timestamp' }, family: 'account', action: 'other' },
  { match: { activity: 'Set user manager' }, family: 'account', action: 'other' },
  { match: { activity: 'Update user principal name' }, family: 'account', action: 'other' },

  // ── Group Management 3006: groups, their members, owners and app roles ──
  { match: { activity: 'Add group' }, family: 'group', action: 'create' },
  { match: { activity: 'Delete group' }, family: 'group', action: 'delete' },
  { match: { activity: 'Hard Delete group' }, family: 'group', action: 'delete' },
  { match: { activity: 'Update group' }, family: 'group', action: 'other' },
  { match: { activity: 'Restore group' }, family: 'group', action: 'restore' },
  { match: { activity: 'Add member to group' }, family: 'groupMembership', action: 'addMember' }, // Add Subgroup when the member is a group
  { match: { activity: 'Remove member from group' }, family: 'groupMembership', action: 'removeMember' },
  { match: { activity: 'Add owner to group' }, family: 'groupPrivilege', action: 'grant', privilege: 'Owner' },
  { match: { activity: 'Remove owner from group' }, family: 'groupPrivilege', action: 'revoke', privilege: 'Owner' },
  { match: { activity: 'Add app role assignment to group' }, family: 'groupPrivilege', action: 'grant', object: SP, privilege: 'App role' },
  { match: { activity: 'Remove app role assignment from group' }, family: 'groupPrivilege', action: 'revoke', object: SP, privilege: 'App role' },
  { match: { activity: 'Assign label to group' }, family: 'group', action: 'other', why: 'a sensitivity label is a setting of the group; Group Management has no Update' },
  { match: { activity: 'Remove label from group' }, family: 'group', action: 'other', why: 'a sensitivity label is a setting of the group; Group Management has no Update' },
  { match: { activity: 'Set group license' }, family: 'group', action: 'other' },
  { match: { activity: 'Start applying group based license to users' }, family: 'group', action: 'other' },
  { match: { activity: 'Finish applying group based license to user' }, family: 'group', action: 'other' },

  // ── User Access Management 3005: directory roles (direct and PIM), app roles, grants, consent, app owners ──
  { match: { activity: 'Add member to role' }, family: 'privilege', action: 'grant', ...ROLE },
  { match: { activity: 'Remove member from role' }, family: 'privilege', action: 'revoke', ...ROLE },
  { match: { activity: 'Add eligible member to role' }, family: 'privilege', action: 'grant', ...ROLE },
  { match: { activity: 'Remove eligible member from role' }, family: 'privilege', action: 'revoke', ...ROLE },
  { match: { activity: 'Add scoped member to role' }, family: 'privilege', action: 'grant', ...ROLE },
  { match: { activity: 'Remove scoped member from role' }, family: 'privilege', action: 'revoke', ...ROLE },
  { match: { activity: 'Add member to role in PIM completed (permanent)' }, family: 'privilege', action: 'grant', ...ROLE },
  { match: { activity: 'Add member to role in PIM completed (timebound)' }, family: 'privilege', action: 'grant', ...ROLE },
  { match: { activity: 'Add eligible member to role in PIM completed (permanent)' }, family: 'privilege', action: 'grant', ...ROLE },
  { match: { activity: 'Add eligible member to role in PIM completed (timebound)' }, family: 'privilege', action: 'grant', ...ROLE },
  { match: { activity: 'Add member to role completed (PIM activation)' }, family: 'privilege', action: 'grant', ...ROLE },
  { match: { activity: 'Remove member from role (PIM activation expired)' }, family: 'privilege', action: 'revoke', ...ROLE },
  { match: { activity: 'Remove member from role in PIM completed (permanent)' }, family: 'privilege', action: 'revoke', ...ROLE },
  { match: { activity: 'Remove eligible member from role in PIM completed (permanent)' }, family: 'privilege', action: 'revoke', ...ROLE },
  { match: { activity: 'Remove eligible member from role in PIM completed (timebound)' }, family: 'privilege', action: 'revoke', ...ROLE },
  // A request is not yet a grant: it is privilege-related but neither Assign nor Revoke.
  { match: { activity: 'Add member to role in PIM requested (permanent)' }, family: 'privilege', action: 'other', ...ROLE },
  { match: { activity: 'Add eligible member to role in PIM requested (permanent)' }, family: 'privilege', action: 'other', ...ROLE },
  { match: { activity: 'Add member to role requested (PIM activation)' }, family: 'privilege', action: 'other', ...ROLE },
  { match: { activity: 'User has elevated their access to User Access Administrator for their Azure Resources' }, family: 'privilege', action: 'grant', principal: ['User'], privilege: 'User Access Administrator', why: 'Azure RBAC elevated access: a Global Administrator gives themself User Access Administrator over all subscriptions' },
  { match: { activity: 'The role assignment of User Access Administrator has been removed from the user' }, family: 'privilege', action: 'revoke', principal: ['User'], privilege: 'User Access Administrator' },
  { match: { activity: 'Add app role assignment grant to user' }, family: 'privilege', action: 'grant', object: SP, principal: ['User'], privilege: 'App role' },
  { match: { activity: 'Remove app role assignment from user' }, family: 'privilege', action: 'revoke', object: SP, principal: ['User'], privilege: 'App role' },
  { match: { activity: 'Add app role assignment to service principal' }, family: 'privilege', action: 'grant', object: SP, principal: [SP], privilege: 'App role' },
  { match: { activity: 'Remove app role assignment from service principal' }, family: 'privilege', action: 'revoke', object: SP, principal: [SP], privilege: 'App role' },
  { match: { activity: 'Add delegated permission grant' }, family: 'privilege', action: 'grant', object: SP, principal: [SP], privilege: 'Delegated permission' },
  { match: { activity: 'Remove delegated permission grant' }, family: 'privilege', action: 'revoke', object: SP, principal: [SP], privilege: 'Delegated permission' },
  { match: { activity: 'Consent to application' }, family: 'privilege', action: 'grant', principal: [SP], privilege: 'Consent' },
  { match: { activity: 'Revoke consent' }, family: 'privilege', action: 'revoke', principal: [SP], privilege: 'Consent' },
  { match: { activity: 'Add owner to application' }, family: 'privilege', action: 'grant', object: 'Application', principal: ['User', SP], privilege: 'Owner' },
  { match: { activity: 'Remove owner from application' }, family: 'privilege', action: 'revoke', object: 'Application', principal: ['User', SP], privilege: 'Owner' },
  { match: { activity: 'Add owner to service principal' }, family: 'privilege', action: 'grant', object: SP, principal: ['User', SP], privilege: 'Owner' },
  { match: { activity: 'Remove owner from service principal' }, family: 'privilege', action: 'revoke', object: SP, principal: ['User', SP], privilege: 'Owner' },
  { match: { activity: 'Fulfill access package assignment request' }, family: 'privilege', action: 'grant', object: 'AccessPackage', targets: ['AccessPackage', 'Other'], principal: ['User'], privilege: 'Access package' },
  { match: { activity: 'Administrator directly removes user access package assignment' }, family: 'privilege', action: 'revoke', object: 'AccessPackage', targets: ['AccessPackage', 'Other'], principal: ['User'], privilege: 'Access package' },

  // ── Entity Management 3004: applications, service principals, policies, devices, directory, AUs, ELM ──
  { match: { activity: 'Add application' }, family: 'entity', action: 'create', object: 'Application' },
  { match: { activity: 'Update application' }, family: 'entity', action: 'update', object: 'Application' },
  { match: { startsWith: 'Update application – ' }, family: 'entity', action: 'update', object: 'Application' },
  { match: { startsWith: 'Update application - ' }, family: 'entity', action: 'update', object: 'Application' },
  { match: { activity: 'Delete application' }, family: 'entity', action: 'delete', object: 'Application' },
  { match: { activity: 'Hard Delete application' }, family: 'entity', action: 'delete', object: 'Application' },
  { match: { activity: 'Restore application' }, family: 'entity', action: 'restore', object: 'Application' },
  { match: { activity: 'Add service principal' }, family: 'entity', action: 'create', object: SP },
  { match: { activity: 'Update service principal' }, family: 'entity', action: 'update', object: SP },
  { match: { activity: 'Remove service principal' }, family: 'entity', action: 'delete', object: SP },
  { match: { activity: 'Add service principal credentials' }, family: 'entity', action: 'update', object: SP },
  { match: { activity: 'Remove service principal credentials' }, family: 'entity', action: 'update', object: SP },
  { match: { activity: 'Add conditional access policy' }, family: 'entity', action: 'create', object: 'ConditionalAccessPolicy', targets: ['Policy'] },
  { match: { activity: 'Update conditional access policy' }, family: 'entity', action: 'update', object: 'ConditionalAccessPolicy', targets: ['Policy'] },
  { match: { activity: 'Delete conditional access policy' }, family: 'entity', action: 'delete', object: 'ConditionalAccessPolicy', targets: ['Policy'] },
  { match: { activity: 'Add named location' }, family: 'entity', action: 'create', object: 'NamedLocation', targets: ['Policy'] },
  { match: { activity: 'Update named location' }, family: 'entity', action: 'update', object: 'NamedLocation', targets: ['Policy'] },
  { match: { activity: 'Delete named location' }, family: 'entity', action: 'delete', object: 'NamedLocation', targets: ['Policy'] },
  { match: { activity: 'Update authorization policy' }, family: 'entity', action: 'update', object: 'AuthorizationPolicy', targets: ['Policy'] },
  { match: { activity: 'Authentication Methods Policy Update' }, family: 'entity', action: 'update', object: 'AuthenticationMethodsPolicy', targets: ['Policy'] },
  { match: { activity: 'Add policy' }, family: 'entity', action: 'create', object: 'Policy' },
  { match: { activity: 'Update policy' }, family: 'entity', action: 'update', object: 'Policy' },
  { match: { activity: 'Delete policy' }, family: 'entity', action: 'delete', object: 'Policy' },
  { match: { activity: 'Register device' }, family: 'entity', action: 'enroll', object: 'Device' },
  { match: { activity: 'Unregister device' }, family: 'entity', action: 'unenroll', object: 'Device' },
  { match: { activity: 'Add device' }, family: 'entity', action: 'create', object: 'Device' },
  { match: { activity: 'Update device' }, family: 'entity', action: 'update', object: 'Device' },
  { match: { activity: 'Delete device' }, family: 'entity', action: 'delete', object: 'Device' },
  { match: { activity: 'Device no longer compliant' }, family: 'entity', action: 'other', object: 'Device' },
  { match: { activity: 'Add registered owner to device' }, family: 'entity', action: 'update', object: 'Device' },
  { match: { activity: 'Add registered users to device' }, family: 'entity', action: 'update', object: 'Device' },
  { match: { activity: 'Remove registered owner from device' }, family: 'entity', action: 'update', object: 'Device' },
  { match: { activity: 'Remove registered users from device' }, family: 'entity', action: 'update', object: 'Device' },
  { match: { activity: 'Add unverified domain' }, family: 'entity', action: 'create', object: 'Domain', targets: ['Directory', 'Domain'] },
  { match: { activity: 'Add verified domain' }, family: 'entity', action: 'create', object: 'Domain', targets: ['Directory', 'Domain'] },
  { match: { activity: 'Verify domain' }, family: 'entity', action: 'update', object: 'Domain', targets: ['Directory', 'Domain'] },
  { match: { activity: 'Remove verified domain' }, family: 'entity', action: 'delete', object: 'Domain', targets: ['Directory', 'Domain'] },
  { match: { activity: 'Remove unverified domain' }, family: 'entity', action: 'delete', object: 'Domain', targets: ['Directory', 'Domain'] },
  { match: { activity: 'Set domain authentication' }, family: 'entity', action: 'update', object: 'Domain', targets: ['Directory', 'Domain'] },
  { match: { activity: 'Update company settings' }, family: 'entity', action: 'update', object: 'Company', targets: ['Directory', 'Company'] },
  { match: { activity: 'Set Company Information' }, family: 'entity', action: 'update', object: 'Company', targets: ['Directory', 'Company'] },
  { match: { activity: 'Set directory feature on tenant' }, family: 'entity', action: 'update', object: 'Company', targets: ['Directory', 'Company'] },
  { match: { activity: 'Add administrative unit' }, family: 'entity', action: 'create', object: 'AdministrativeUnit', targets: ['AdministrativeUnit', 'Other'] },
  { match: { activity: 'Update administrative unit' }, family: 'entity', action: 'update', object: 'AdministrativeUnit', targets: ['AdministrativeUnit', 'Other'] },
  { match: { activity: 'Delete administrative unit' }, family: 'entity', action: 'delete', object: 'AdministrativeUnit', targets: ['AdministrativeUnit', 'Other'] },
  { match: { activity: 'Add member to administrative unit' }, family: 'entity', action: 'update', object: 'AdministrativeUnit', targets: ['AdministrativeUnit', 'Other'] },
  { match: { activity: 'Remove member from administrative unit' }, family: 'entity', action: 'update', object: 'AdministrativeUnit', targets: ['AdministrativeUnit', 'Other'] },
  { match: { activity: 'Create access package' }, family: 'entity', action: 'create', object: 'AccessPackage', targets: ['AccessPackage', 'Other'] },
  { match: { activity: 'Delete access package' }, family: 'entity', action: 'delete', object: 'AccessPackage', targets: ['AccessPackage', 'Other'] },
  { match: { activity: 'Create access package assignment policy' }, family: 'entity', action: 'create', object: 'AccessPackageAssignmentPolicy', targets: ['AccessPackageAssignmentPolicy', 'Other'] },
  { match: { activity: 'User requests access package assignment' }, family: 'privilege', action: 'other', object: 'AccessPackage', targets: ['AccessPackage', 'Other'], principal: ['User'], privilege: 'Access package', why: 'a request is not a grant' },
  { match: { activity: 'Approve access package assignment request' }, family: 'privilege', action: 'other', object: 'AccessPackage', targets: ['AccessPackage', 'Other'], principal: ['User'], privilege: 'Access package', why: 'an approval decides; the grant is the "Fulfill" event that follows' },
  { match: { activity: 'Add role definition' }, family: 'entity', action: 'create', object: 'RoleDefinition', targets: ['Role', 'RoleDefinition'] },
  { match: { activity: 'Update role definition' }, family: 'entity', action: 'update', object: 'RoleDefinition', targets: ['Role', 'RoleDefinition'] },
  { match: { activity: 'Delete role definition' }, family: 'entity', action: 'delete', object: 'RoleDefinition', targets: ['Role', 'RoleDefinition'] },
];

const byName = new Map<string, ActivityRow[]>();
/** The same lists under the table's own spelling, so a display name written as in the table skips lower-casing. */
const byExactName = new Map<string, ActivityRow[]>();
const prefixRows: Array<{ row: ActivityRow; prefix: string; categoryKey: string | undefined }> = [];
const categoryKeys = new Map<ActivityRow, string | undefined>();

for (const row of DIRECTORY_AUDIT_ACTIVITY_TABLE) {
  categoryKeys.set(row, row.match.category ? row.match.category.toLowerCase() : undefined);
  if ('activity' in row.match) {
    const key = row.match.activity.toLowerCase();
    const list = byName.get(key);
    // Rows with a category come first so they win over a category-less row of the same name.
    if (!list) byName.set(key, [row]);
    else if (row.match.category) list.unshift(row);
    else list.push(row);
  } else {
    prefixRows.push({ row, prefix: row.match.startsWith.toLowerCase(), categoryKey: categoryKeys.get(row) });
  }
}
for (const row of DIRECTORY_AUDIT_ACTIVITY_TABLE) {
  if ('activity' in row.match) byExactName.set(row.match.activity, byName.get(row.match.activity.toLowerCase())!);
}

/** The table row for a display name + category, or undefined when the activity is not in the table. */
export function lookupActivity(displayName: string, category: string | undefined): ActivityRow | undefined {
  const rows = byExactName.get(displayName) ?? byName.get(displayName.toLowerCase());
  if (rows) {
    const categoryKey = rows.length > 1 || categoryKeys.get(rows[0]!) !== undefined ? category?.toLowerCase() : undefined;
    for (const row of rows) {
      const key = categoryKeys.get(row);
      if (key === undefined || key === categoryKey) return row;
    }
  }
  if (prefixRows.length === 0) return undefined;
  const key = displayName.toLowerCase();
  const categoryKey = category?.toLowerCase();
  for (const c of prefixRows) {
    if (key.startsWith(c.prefix) && (c.categoryKey === undefined || c.categoryKey === categoryKey)) return c.row;
  }
  return undefined;
}
