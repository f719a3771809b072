import { lookupActivity, type ActivityRow } from './activity-table';
import { actionOf, ACTION_CAPTIONS, FAMILY_CLASS, verbOf, type Action, type AuditClassUid, type Family } from './audit-vocabulary';
import { activityIdOf, OTHER } from './classes';

/**
 * Layer 2 of the directory-audit classification: rules over what the record says about itself — the words of the
 * activity name, `category`, `loggedByService` and the types of its targets. The first rule that matches names the
 * family (and the object); the action comes from the name's verb as that family reads it (audit-vocabulary.ts), or,
 * as the last word, from Graph's `operationType`. Read top to bottom: earlier rows are the more specific.
 */
export interface AuditRule {
  /** Shown in docs/mapping.md. */
  why: string;
  /** Over the lower-cased activity name. */
  name?: RegExp;
  /** The name must not match this. */
  unless?: RegExp;
  /** Lower-cased `category` values. */
  category?: readonly string[];
  /** Lower-cased `loggedByService` values. */
  service?: readonly string[];
  /** Some target has one of these (lower-cased) types. */
  target?: readonly string[];
  /** Verbs (base form, see verbOf) the rule applies to. */
  verb?: readonly string[];
  family: Family;
  /** A fixed action; otherwise the family's reading of the verb, then operationType. */
  action?: Action;
  object?: string;
  targets?: string[];
  principal?: string[];
  privilege?: string;
}

const READ_VERBS = ['get', 'list', 'read', 'download', 'export', 'retrieve', 'check'];
const SP = 'ServicePrincipal';

export const DIRECTORY_AUDIT_RULES: readonly AuditRule[] = [
  {
    why: 'Reading, listing, downloading or exporting changes nothing: Entity Management Read of what was read.',
    verb: READ_VERBS, family: 'entity', action: 'read',
  },
  {
    why: 'Bulk jobs ("… - finished (bulk)", "started (bulk)") report a job over many objects, not a change of one.',
    name: /\(bulk\)$/, family: 'entity', object: 'BulkOperation',
  },
  {
    why: 'Directory roles, PIM included (eligible, active, permanent, time-bound, renew, extend, expire, restore): a privilege of the principal.',
    name: /\b(to|from|in) role\b|\brole (assignment|approval|request)|\bmember in pim\b|\beligible member to role|eligibleroleassignment|(direct|eligible) role assignment|\brestore (eligible )?member from role/,
    unless: /role definition|role setting|pim alert|pim policy/,
    family: 'privilege', object: 'Role', targets: ['Role'], privilege: 'Directory role',
  },
  {
    why: 'App role assignments to a group are privileges held through the group.',
    name: /app role assignment (to|from) group/, family: 'groupPrivilege', object: SP, privilege: 'App role',
  },
  {
    why: 'App role assignments to users and service principals grant the app role to that principal.',
    name: /app role assignment/, family: 'privilege', object: SP, privilege: 'App role',
  },
  {
    why: 'Delegated permission grants, application permissions and consent are privileges of the client application.',
    name: /permission grants?\b|application permissions|delegated permission|consent to application|contextual consent|restore consent/,
    unless: /permission grant polic/,
    family: 'privilege', object: SP, principal: [SP], privilege: 'Delegated permission',
  },
  {
    why: 'Owners of a group hold privileges over it.',
    name: /owner (to|from) group|group_(add|remove)owner/, family: 'groupPrivilege', principal: ['User', SP], privilege: 'Owner',
  },
  {
    why: 'Owners of applications, service principals, policies and device templates can change them: a privilege.',
    name: /\bowner (to|from) /, family: 'privilege', principal: ['User', SP], privilege: 'Owner',
  },
  {
    why: 'Access package assignments (and the requests for them) give a user the access package\'s resources.',
    name: /access package assignment(?! policy)|assigns user to access package|to extend access package/,
    unless: /policy/,
    family: 'privilege', object: 'AccessPackage', targets: ['AccessPackage', 'Other'], principal: ['User', SP], privilege: 'Access package',
  },
  {
    why: 'Requests for an access package assignment are made, changed and deleted without granting anything.',
    name: /access package assignment (user update )?request$|assignment request for user$/, family: 'privilege', action: 'other',
    object: 'AccessPackage', targets: ['AccessPackage', 'Other'], principal: ['User', SP], privilege: 'Access package',
  },
  {
    why: 'Entitlement Management roles (catalog owner, access package manager, …) are privileges.',
    name: /entitlement management role assignment/, family: 'privilege', privilege: 'Entitlement Management role',
  },
  {
    why: 'Members of a group (PIM eligible members too); the member\'s type decides user or subgroup.',
    name: /\bmembers? (to|from) group\b|group_(add|remove)member|eligible member from group/, family: 'groupMembership',
  },
  {
    why: 'Requests to join a group and other pending requests are objects of their own.',
    name: /\brequests? to join a group|pending request/, family: 'entity', object: 'Request', targets: ['Request'],
  },
  {
    why: 'Group settings are directory setting objects, not the group.',
    name: /group settings/, family: 'entity', object: 'DirectorySetting',
  },
  {
    why: 'A user\'s password reset or changed.',
    name: /\bpassword\b/,
    unless: /polic|writeback|registration|administrator password|application password|hardware|one time password/,
    target: ['user'], family: 'password',
  },
  {
    why: 'Sign-in methods and MFA of a user: strong authentication, security info, FIDO2/passkeys, Windows Hello, phone sign-in, platform credentials, TOTP, application passwords, assigned hardware tokens.',
    name: /security info|strong authentication|passkey|fido|windows hello|phone sign-in|platform credential|authenticator app|temporary access pass|totp|multifactor authentication on|application password|assign hardware oath token/,
    unless: /polic|strength|combination|creation options/,
    family: 'authMethod',
  },
  {
    why: 'The user account itself created, deleted, restored, enabled, disabled, locked or unlocked.',
    name: /^(add|create|delete|hard delete|soft delete|restore|enable|disable|lock|unlock|invite|update)( (external|internal))? (user|account)$/,
    family: 'account',
  },
  {
    why: 'A group itself created, deleted, restored or changed.',
    name: /^(add|create|delete|hard delete|restore|update|renew|autorenew) group$|^group_(create|delete|restore|update)$|^lcmpolicy_renewgroup$/,
    family: 'group',
  },
  {
    why: 'Something added to or removed from an object (a user to a feature rollout, a policy to a service principal, a task to a workflow) changes that object: Update.',
    name: /^(add|remove|delete) .+ (to|from) (?!group\b|role\b)/, unless: /device from devicetemplate/,
    family: 'entity', action: 'update',
  },
  {
    why: 'Devices: register/unregister are Enroll/Unenroll, the rest by verb.',
    name: /\bdevice/, family: 'entity', object: 'Device', targets: ['Device'],
  },
  {
    why: 'Policies of every kind (Conditional Access, named locations, authentication methods and strengths, B2C custom policies, terms of use, …).',
    name: /polic(y|ies)|named location|conditional access|terms of use|security defaults|authenticationcontextclassreference|continuous access evaluation/,
    family: 'entity', object: 'Policy', targets: ['Policy'],
  },
  {
    why: 'Domains of the directory.',
    name: /\bdomain\b|shared ?email ?domain/, family: 'entity', object: 'Domain', targets: ['Domain', 'Directory'],
  },
  {
    why: 'The directory, company or tenant itself.',
    name: /\b(company|tenant|directory|partner|subscription|dirsync|multitenantorg)\b/,
    unless: /\bdirectory resource|cross-tenant|ciam|b2c/,
    family: 'entity', object: 'Organization', targets: ['Directory', 'Company'],
  },
  {
    why: 'Service principals (enterprise applications).',
    name: /service principal/, family: 'entity', object: SP, targets: [SP],
  },
  {
    why: 'Application registrations.',
    name: /\bapplication\b|\bv[12] app/, unless: /application collection/, family: 'entity', object: 'Application', targets: ['Application'],
  },
  {
    why: 'Administrative units.',
    name: /administrative unit/, family: 'entity', object: 'AdministrativeUnit', targets: ['AdministrativeUnit', 'Other'],
  },
];

/** operationType → action, for names whose verb says nothing the family can read. */
const OPERATION_TYPE_ACTIONS: Readonly<Record<string, Action>> = {
  add: 'create', update: 'update', delete: 'delete', assign: 'grant', unassign: 'revoke',
};

/** A classification: family, class, activity, and what the class part needs to find its subject in the targets. */
export interface AuditClassification {
  family: Family;
  classUid: AuditClassUid;
  action: Action;
  activityId: number;
  /** The layer that decided: exact name, rule, operationType, or the family default. */
  layer: 'name' | 'rule' | 'operationType' | 'default';
  object?: string;
  targets?: string[];
  principal?: string[];
  privilege?: string;
  refine?: 'userUpdate';
}

export interface AuditFacts {
  displayName: string | undefined;
  category: string | undefined;
  service: string | undefined;
  operationType: string | undefined;
  /** Lower-cased target types, asked for only when a rule that reads them is otherwise a match. */
  targetTypes: () => readonly string[];
}

interface CompiledRule extends AuditRule {
  categorySet?: ReadonlySet<string>;
  serviceSet?: ReadonlySet<string>;
  verbSet?: ReadonlySet<string>;
}

const COMPILED: readonly CompiledRule[] = DIRECTORY_AUDIT_RULES.map((r) => ({
  ...r,
  ...(r.category && { categorySet: new Set(r.category) }),
  ...(r.service && { serviceSet: new Set(r.service) }),
  ...(r.verb && { verbSet: new Set(r.verb) }),
}));

/**
 * Classifications by name/category/service/operationType: Entra's vocabulary is small, records many. A result that
 * depended on the target types is kept per target-type list under its name key instead.
 */
const cache = new Map<string, AuditClassification | Map<string, AuditClassification>>();
const CACHE_LIMIT = 4096;

/** The class and activity of a directory audit, from the layers in order. Pure; the same facts give the same answer. */
export function classifyAudit(facts: AuditFacts): AuditClassification {
  const row = facts.displayName !== undefined ? lookupActivity(facts.displayName, facts.category) : undefined;
  if (row) return fromRow(row);
  const key = `${facts.displayName ?? ''}\u0000${facts.category ?? ''}\u0000${facts.service ?? ''}\u0000${facts.operationType ?? ''}`;
  const hit = cache.get(key);
  if (hit !== undefined && !(hit instanceof Map)) return hit;
  if (hit !== undefined) {
    const byTargets = hit.get(facts.targetTypes().join(','));
    if (byTargets !== undefined) return byTargets;
  }
  let readTargets = false;
  const c = byRules({
    ...facts,
    targetTypes: () => {
      readTargets = true;
      return facts.targetTypes();
    },
  });
  if (cache.size >= CACHE_LIMIT) cache.clear();
  if (!readTargets) cache.set(key, c);
  else {
    const perTargets = hit instanceof Map ? hit : new Map<string, AuditClassification>();
    if (perTargets.size < 64) perTargets.set(facts.targetTypes().join(','), c);
    cache.set(key, perTargets);
  }
  return c;
}

const rowCache = new Map<ActivityRow, AuditClassification>();

function fromRow(row: ActivityRow): AuditClassification {
  let c = rowCache.get(row);
  if (c === undefined) {
    c = resolve(row.family, row.action, 'name', row);
    rowCache.set(row, c);
  }
  return c;
}

function byRules(facts: AuditFacts): AuditClassification {
  const lowerName = (facts.displayName ?? '').toLowerCase();
  const verb = verbOf(lowerName);
  const category = facts.category?.toLowerCase();
  const service = facts.service?.toLowerCase();
  const rule = COMPILED.find((r) =>
    (!r.name || r.name.test(lowerName)) &&
    (!r.unless || !r.unless.test(lowerName)) &&
    (!r.categorySet || (category !== undefined && r.categorySet.has(category))) &&
    (!r.serviceSet || (service !== undefined && r.serviceSet.has(service))) &&
    (!r.verbSet || r.verbSet.has(verb)) &&
    (!r.target || r.target.some((t) => facts.targetTypes().includes(t))));
  // No rule claims the name: an entity, its type read from the record's target.
  const family: Family = rule?.family ?? 'entity';
  const fromVerb = rule?.action ?? actionOf(family, verb);
  if (fromVerb !== undefined) return resolve(family, fromVerb, rule ? 'rule' : 'default', rule);
  const fromOperation = OPERATION_TYPE_ACTIONS[(facts.operationType ?? '').toLowerCase()];
  // operationType only speaks where the verb is silent and the word fits the family (Assign is a grant, not a create).
  if (fromOperation !== undefined && ACTION_CAPTIONS[FAMILY_CLASS[family]][fromOperation] !== undefined && !isLifecycleState(verb)) {
    return resolve(family, fromOperation, 'operationType', rule);
  }
  return resolve(family, 'other', rule ? 'rule' : 'default', rule);
}

/** Request/approval states: Graph writes "Add"/"Assign" for them, but nothing was granted. */
function isLifecycleState(verb: string): boolean {
  return verb === 'request' || verb === 'cancel' || verb === 'deny' || verb === 'approve';
}

type Extra = Pick<ActivityRow, 'object' | 'targets' | 'principal' | 'privilege' | 'refine'>;

function resolve(family: Family, action: Action, layer: AuditClassification['layer'], extra: Extra | undefined): AuditClassification {
  const classUid = FAMILY_CLASS[family];
  const caption = ACTION_CAPTIONS[classUid][action];
  const c: AuditClassification = {
    family, classUid, action, layer, activityId: caption === undefined ? OTHER : activityIdOf(classUid, caption),
  };
  if (extra?.object !== undefined) c.object = extra.object;
  if (extra?.targets !== undefined) c.targets = extra.targets;
  if (extra?.principal !== undefined) c.principal = extra.principal;
  if (extra?.privilege !== undefined) c.privilege = extra.privilege;
  if (extra?.refine !== undefined) c.refine = extra.refine;
  return c;
}
