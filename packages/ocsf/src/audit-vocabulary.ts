import { ACCOUNT_CHANGE, ENTITY_MANAGEMENT, GROUP_MANAGEMENT, USER_ACCESS } from './classes';

/**
 * The words every directory-audit classification layer speaks: families (what kind of thing happened), actions (what
 * happened to it) and verbs (how Entra's activity names say it). Each layer (exact names, rules, operationType)
 * names a family and an action; the OCSF class and activity follow from the two tables below and nowhere else.
 */
export type AuditClassUid = typeof ACCOUNT_CHANGE | typeof ENTITY_MANAGEMENT | typeof USER_ACCESS | typeof GROUP_MANAGEMENT;

export type Family =
  | 'account' // a user account's lifecycle and attributes
  | 'password' // a user's password reset or change
  | 'authMethod' // an authentication method / MFA factor of a user added, removed, enabled, disabled
  | 'group' // a group's lifecycle and settings
  | 'groupMembership' // a member (user, service principal, group) added to / removed from a group
  | 'groupPrivilege' // owners and app roles of a group
  | 'privilege' // directory roles (PIM too), app roles, permission grants, consent, owners of apps, access packages
  | 'entity'; // every other directory object: applications, policies, devices, domains, B2C resources, …

/**
 * THE place deciding each family's OCSF class. OCSF 1.9 adds User Management (3007: account, password, authMethod,
 * and role assignments to users) and Role Management (3008: role definitions); moving to it is an edit here plus
 * that class's row in ACTION_CAPTIONS.
 */
export const FAMILY_CLASS: Readonly<Record<Family, AuditClassUid>> = {
  account: ACCOUNT_CHANGE,
  password: ACCOUNT_CHANGE,
  authMethod: ACCOUNT_CHANGE,
  group: GROUP_MANAGEMENT,
  groupMembership: GROUP_MANAGEMENT,
  groupPrivilege: GROUP_MANAGEMENT,
  privilege: USER_ACCESS,
  entity: ENTITY_MANAGEMENT,
};

/** Why each family lands where it does (docs/mapping.md is generated from this). */
export const FAMILY_POLICY: Readonly<Record<Family, string>> = {
  account: 'A user account is created, enabled, disabled, deleted, restored, locked or unlocked: Account Change says exactly that. Account Change has no Update, so other edits of a user are Other with Microsoft\'s name (a refine step still finds Enable/Disable/MFA in "Update user").',
  password: 'Resets and changes of a user\'s password are the Password Reset / Password Change activities of Account Change; starting, registering for or being blocked from a reset is not a reset, so those are Other.',
  authMethod: 'A sign-in method (strong authentication, FIDO2/passkey, Windows Hello, phone sign-in, Authenticator, TAP, hardware token, platform credential) added or enabled for a user is MFA Factor Enable, removed or disabled is MFA Factor Disable.',
  group: 'A group created or deleted is Group Management Create/Delete; settings, licences, labels and renewals have no Group Management activity, so they are Other.',
  groupMembership: 'A member added to or removed from a group is Add User / Remove User, or Add Subgroup / Remove Subgroup when the member is itself a group (decided from the record\'s targets).',
  groupPrivilege: 'Owners and app roles given to a group are privileges held through the group: Group Management Assign/Revoke Privileges with `privileges` naming them.',
  privilege: 'A privilege given to or taken from a principal (user, group or service principal) — directory roles with every PIM variant, app role assignments, delegated grants, consent, owners of applications, access packages, Azure RBAC elevation — is User Access Management Assign/Revoke Privileges, with `privileges` filled. A request, an approval of a request, a cancellation or a denial is not yet (or never) a grant: Other, privileges still named; the grant is the "completed" / "Fulfill" event that follows, so detections see each grant once.',
  entity: 'Every other directory object is Entity Management, with the activity the verb names (Get/List/Download/Export → Read; Hard delete → Delete; Restore → Create, see below) and `entity.type` naming the Entra object type.',
};

/** What happened, independent of class; ACTION_CAPTIONS says which OCSF activity each class calls it. */
export type Action =
  | 'create' | 'read' | 'update' | 'delete' | 'move' | 'enroll' | 'unenroll' | 'enable' | 'disable' | 'activate'
  | 'deactivate' | 'suspend' | 'resume' | 'restore' | 'lock' | 'unlock' | 'passwordReset' | 'passwordChange'
  | 'mfaEnable' | 'mfaDisable' | 'attachPolicy' | 'detachPolicy' | 'grant' | 'revoke' | 'addMember' | 'removeMember'
  | 'other';

/**
 * action → OCSF 1.8.0 activity caption, per class. An action a class does not list is that class's Other (99).
 * Restore → Create: a restored object re-enters the directory under its old id, which a reader of the lake sees as it
 * saw the Create; OCSF 1.8.0 has no Restore/Undelete in these classes.
 */
export const ACTION_CAPTIONS: Readonly<Record<AuditClassUid, Partial<Record<Action, string>>>> = {
  [ACCOUNT_CHANGE]: {
    create: 'Create', restore: 'Create', enable: 'Enable', disable: 'Disable', delete: 'Delete', lock: 'Lock',
    unlock: 'Unlock', passwordReset: 'Password Reset', passwordChange: 'Password Change', mfaEnable: 'MFA Factor Enable',
    mfaDisable: 'MFA Factor Disable', attachPolicy: 'Attach Policy', detachPolicy: 'Detach Policy',
  },
  [ENTITY_MANAGEMENT]: {
    create: 'Create', restore: 'Create', read: 'Read', update: 'Update', delete: 'Delete', move: 'Move',
    enroll: 'Enroll', unenroll: 'Unenroll', enable: 'Enable', disable: 'Disable', activate: 'Activate',
    deactivate: 'Deactivate', suspend: 'Suspend', resume: 'Resume',
  },
  [USER_ACCESS]: { grant: 'Assign Privileges', revoke: 'Revoke Privileges' },
  [GROUP_MANAGEMENT]: {
    create: 'Create', restore: 'Create', delete: 'Delete', grant: 'Assign Privileges', revoke: 'Revoke Privileges',
    addMember: 'Add User', removeMember: 'Remove User',
  },
};

/**
 * Leading words of Entra activity names → the action they name, for the families without their own reading.
 * Words absent here (Approve, Deny, Cancel, Process, Request, Confirm, Dismiss, Evaluate, …) have no counterpart in
 * these classes: such activities are Other, and are not counted by the corpus test's "Other among verb-named".
 */
export const VERB_ACTIONS: Readonly<Record<string, Action>> = {
  add: 'create', create: 'create', adding: 'create', new: 'create', register: 'create', 'pre-create': 'create',
  generate: 'create', initialize: 'create', initiate: 'create', invite: 'create', issue: 'create', post: 'create',
  get: 'read', list: 'read', read: 'read', download: 'read', export: 'read', retrieve: 'read', check: 'read',
  update: 'update', updating: 'update', updated: 'update', set: 'update', edit: 'update', change: 'update',
  patch: 'update', modify: 'update', upload: 'update', rotate: 'update', publish: 'update', reset: 'update',
  renew: 'update', extend: 'update', assign: 'update', apply: 'update', link: 'update', unlink: 'update',
  convert: 'update', promote: 'update', demote: 'update', migrated: 'update', unset: 'update', refresh: 'update',
  schedule: 'update', replace: 'update', trigger: 'update', verify: 'update', recover: 'read', import: 'create',
  delete: 'delete', deleting: 'delete', remove: 'delete', clear: 'delete', purge: 'delete', unregister: 'unenroll',
  move: 'move', enable: 'enable', disable: 'disable', activate: 'activate', deactivate: 'deactivate',
  suspend: 'suspend', suspending: 'suspend', resume: 'resume', restart: 'resume', restore: 'restore',
  lock: 'lock', unlock: 'unlock',
};

/** How the privilege-carrying and membership families read the same verbs. */
export const FAMILY_VERBS: Readonly<Partial<Record<Family, Readonly<Record<string, Action>>>>> = {
  privilege: {
    add: 'grant', adding: 'grant', assign: 'grant', grant: 'grant', consent: 'grant', restore: 'grant', create: 'grant',
    activate: 'grant', renew: 'grant', extend: 'grant', fulfill: 'grant', elevate: 'grant',
    remove: 'revoke', delete: 'revoke', revoke: 'revoke', expire: 'revoke', deactivate: 'revoke', unassign: 'revoke',
  },
  groupPrivilege: { add: 'grant', assign: 'grant', grant: 'grant', remove: 'revoke', delete: 'revoke', revoke: 'revoke' },
  groupMembership: { add: 'addMember', remove: 'removeMember', delete: 'removeMember', restore: 'addMember' },
  authMethod: {
    add: 'mfaEnable', register: 'mfaEnable', create: 'mfaEnable', enable: 'mfaEnable', assign: 'mfaEnable',
    restore: 'mfaEnable', delete: 'mfaDisable', remove: 'mfaDisable', disable: 'mfaDisable',
  },
  password: { reset: 'passwordReset', change: 'passwordChange' },
};

/** Words before the verb that do not change it ("Hard delete user", "Bulk create users", "PATCH Tenant.Patch"). */
const VERB_PREFIXES = new Set(['hard', 'soft', 'bulk', 'auto', 'admin', 'user', 'administrator', 'directly', 'the']);

/**
 * The verb of an activity name, lower-case and in its base form: its first word past the prefixes above
 * ("registered" → register, "assigns" → assign). `Group_AddMember` style names use the word after the underscore.
 * PIM and request life-cycle names say their state at the end ("… requested", "… canceled", "… denied",
 * "… request approved"): that state is their verb, since nothing has been granted (yet).
 */
export function verbOf(lowerName: string): string {
  if (/\bapproved by admin \(extend/.test(lowerName)) return 'extend';
  if (/\b(requested|request expired)\b/.test(lowerName)) return 'request';
  if (/\b(canceled|cancelled)\b/.test(lowerName)) return 'cancel';
  if (/\bdenied\b/.test(lowerName)) return 'deny';
  if (/\brequest approved\b/.test(lowerName)) return 'approve';
  if (/\(pim activation expired\)/.test(lowerName)) return 'expire';
  if (/\bcompleted \(pim deactivate\)/.test(lowerName)) return 'deactivate';
  if (!lowerName.includes(' ') && lowerName.includes('_')) return underscoreVerb(lowerName);
  // "POST Tenant.CreateBlockedUser", "PATCH UserAuthMethod.UpdateQRPinAsync": the method's leading word says more
  // than the HTTP verb, when it is a verb.
  const http = /^(get|post|put|patch|delete) [a-z0-9]+\.([a-z]+)/.exec(lowerName);
  if (http) {
    const method = http[2]!;
    for (const verb of METHOD_VERBS) if (method.startsWith(verb)) return verb;
    return http[1] === 'post' || http[1] === 'put' ? 'create' : http[1]!;
  }
  const words = lowerName.split(/[\s/]+/);
  let i = 0;
  while (i < words.length - 1 && VERB_PREFIXES.has(words[i]!)) i++;
  const first = baseForm((words[i] ?? '').replace(/[^a-z-]/g, ''));
  if (KNOWN_VERBS.has(first)) return first;
  // Noun-first names put the verb last: "Authentication Strength Policy Update", "Role definition created".
  const last = baseForm((words[words.length - 1] ?? '').replace(/[^a-z-]/g, ''));
  return KNOWN_VERBS.has(last) ? last : first;
}

/** Leading words of "Service.MethodName" method names, longest first. */
const METHOD_VERBS = ['create', 'delete', 'remove', 'update', 'patch', 'generate', 'reset', 'get', 'set', 'post'];

/** Every verb some table knows, to turn "registered" / "assigns" / "removed" into their base form. */
const KNOWN_VERBS = new Set<string>([
  ...Object.keys(VERB_ACTIONS),
  ...Object.values(FAMILY_VERBS).flatMap((m) => Object.keys(m ?? {})),
  'approve', 'deny', 'cancel', 'request', 'process', 'confirm', 'dismiss', 'start', 'block', 'review', 'accept', 'decline',
  'redeem', 'report', 'fail', 'finish', 'complete',
]);

function baseForm(word: string): string {
  if (KNOWN_VERBS.has(word)) return word;
  for (const base of [word.slice(0, -1), word.slice(0, -2), word.slice(0, -3)]) {
    if ((word.endsWith('s') || word.endsWith('d') || word.endsWith('ed')) && base.length > 2 && KNOWN_VERBS.has(base)) return base;
  }
  if (word.endsWith('ied') && KNOWN_VERBS.has(`${word.slice(0, -3)}y`)) return `${word.slice(0, -3)}y`;
  return word;
}

/** "group_addmember" → "add", "user_getmemberof" → "get", "lcmpolicy_renewgroup" → "renew". */
function underscoreVerb(lowerName: string): string {
  const tail = lowerName.slice(lowerName.indexOf('_') + 1);
  for (const verb of UNDERSCORE_VERBS) if (tail.startsWith(verb)) return UNDERSCORE_NORMAL[verb] ?? verb;
  return tail;
}
const UNDERSCORE_VERBS = ['addmember', 'removemember', 'addowner', 'removeowner', 'createlink', 'add', 'remove', 'create', 'delete', 'get', 'update', 'restore', 'renew', 'validate', 'evaluate', 'act', 'post']
  .sort((a, b) => b.length - a.length);
const UNDERSCORE_NORMAL: Readonly<Record<string, string>> = {
  addmember: 'add', removemember: 'remove', addowner: 'add', removeowner: 'remove', createlink: 'create', post: 'create',
};

/** The action a family reads from a verb: its own reading first, else the general one. */
export function actionOf(family: Family, verb: string): Action | undefined {
  return FAMILY_VERBS[family]?.[verb] ?? VERB_ACTIONS[verb];
}
