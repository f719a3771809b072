#!/usr/bin/env node
'use strict';
/**
 * The audit corpus: one realistic Graph directoryAudit record per row of Microsoft's published activity reference
 * (reference-audit-activities.txt beside this file). `node generate-audits.js` rewrites directory-audits.json; the
 * corpus test regenerates in memory and fails when the checked-in file differs, so the two cannot drift.
 *
 * "Realistic" means shaped like what Graph returns for that activity: its category and loggedByService, an
 * operationType from the verb, targets of the types the name speaks of (a role and its member, a service principal
 * and the app role or scopes granted, a group and its member carrying Group.ObjectID, …), modifiedProperties where
 * Graph writes them, and an initiator that is a user (with an IP), an application, or neither. Everything is derived
 * from a hash of the row, so the output is the same bytes on every run.
 */
const fs = require('node:fs');
const path = require('node:path');

const REFERENCE = path.join(__dirname, 'reference-audit-activities.txt');
const OUTPUT = path.join(__dirname, 'directory-audits.json');
const BASE_TIME = Date.UTC(2026, 10, 2, 8, 0, 0);

/** Rows of the reference: { service, category, activity }, in file order. */
function readReference(file = REFERENCE) {
  const rows = [];
  let service;
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('@service ')) {
      service = line.slice('@service '.length);
      continue;
    }
    const bar = line.indexOf('|');
    if (bar < 0 || !service) throw new Error(`reference: cannot read "${line}"`);
    rows.push({ service, category: line.slice(0, bar), activity: line.slice(bar + 1) });
  }
  return rows;
}

// ── deterministic values ──

function fnv(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function hex(seed, n) {
  let out = '';
  let i = 0;
  while (out.length < n) out += fnv(`${seed}#${i++}`).toString(16).padStart(8, '0');
  return out.slice(0, n);
}

function guid(seed) {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function pick(seed, list) {
  return list[fnv(seed) % list.length];
}

const json = (v) => JSON.stringify(v);
const prop = (displayName, oldValue, newValue) => ({ displayName, oldValue, newValue });

const ROLES = ['Global Administrator', 'Privileged Role Administrator', 'User Administrator', 'Security Reader', 'Application Administrator', 'Exchange Administrator'];
const APP_ROLES = ['User.Read.All', 'Directory.ReadWrite.All', 'Mail.Send', 'Sites.Read.All', 'Task.Write'];
const SCOPES = ['openid profile User.Read', 'Mail.Read offline_access', 'Files.ReadWrite.All', 'Calendars.Read'];
const PEOPLE = ['adele.vance', 'megan.bowen', 'lee.gu', 'nestor.wilke', 'alex.wilber', 'grady.archie'];
const GROUPS = ['Finance', 'Helpdesk Tier 2', 'All Engineers', 'Sales EMEA', 'Privileged Admins'];
const APPS = ['Payroll Connector', 'Contoso Portal', 'Build Agent', 'HR Sync', 'Graph Explorer'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Microsoft Azure Graph Client Library 1.0',
  'python-requests/2.32',
];
const DOMAIN = 'contoso.com';

function user(seed, extra = {}) {
  const name = pick(seed, PEOPLE);
  return { id: guid(`${seed}:user`), displayName: titled(name), type: 'User', userPrincipalName: `${name}@${DOMAIN}`, groupType: null, modifiedProperties: [], ...extra };
}
function group(seed, extra = {}) {
  return { id: guid(`${seed}:group`), displayName: pick(seed, GROUPS), type: 'Group', userPrincipalName: null, groupType: pick(`${seed}g`, ['unifiedGroups', 'azureAD', null]), modifiedProperties: [], ...extra };
}
function servicePrincipal(seed, extra = {}) {
  return { id: guid(`${seed}:sp`), displayName: pick(seed, APPS), type: 'ServicePrincipal', userPrincipalName: null, groupType: null, modifiedProperties: [], ...extra };
}
function entity(seed, type, displayName, extra = {}) {
  return { id: guid(`${seed}:${type}`), displayName, type, userPrincipalName: null, groupType: null, modifiedProperties: [], ...extra };
}
function titled(upnName) {
  return upnName.split('.').map((p) => p[0].toUpperCase() + p.slice(1)).join(' ');
}

// ── what the name speaks of ──

const has = (name, ...words) => words.some((w) => name.includes(w));

/** The verb Graph's operationType would carry for this name. */
function operationType(lower) {
  const isRoleish = has(lower, ' role', 'pim', 'app role', 'owner', 'member', 'permission grant', 'consent', 'sponsor');
  if (/^(add|create|register|pre-create|invite|generate|upload|initiate|issue|bulk create|bulk import|bulk invite|bulk add|adding)\b/.test(lower) || has(lower, '_create', '_add', 'creation')) {
    return isRoleish ? 'Assign' : 'Add';
  }
  if (/^(delete|remove|hard delete|soft delete|bulk delete|bulk remove|unregister|clear|deleting)\b/.test(lower) || has(lower, '_delete', '_remove')) {
    return isRoleish ? 'Unassign' : 'Delete';
  }
  if (/^(assign|grant|consent)\b/.test(lower)) return 'Assign';
  if (/^(update|set|edit|change|reset|enable|disable|patch|restore|rename|renew|extend|unset|rotate|promote|demote|convert|migrated|updating)\b/.test(lower) || has(lower, '_update')) return 'Update';
  return 'Other';
}

/** Targets for one activity, by the objects its name names. Returns { targets, note } (note: the family hint). */
function targetsFor(row, seed) {
  const lower = row.activity.toLowerCase();
  const who = (s) => user(`${seed}:${s}`);
  const isPim = has(lower, 'pim', 'direct role assignment', 'eligible role assignment', 'role assignment to', 'role assignment from', 'eligible', 'role approval', 'role request', 'role removal', 'role update', 'restore member from role', 'restore eligible member');

  // App role assignments: the resource service principal carries AppRole.*; the principal is named by the activity.
  if (has(lower, 'app role assignment')) {
    const appRole = pick(seed, APP_ROLES);
    const resource = servicePrincipal(`${seed}:resource`, {
      modifiedProperties: [
        prop('AppRole.Id', null, json(guid(`${seed}:approle`))),
        prop('AppRole.Value', null, json(appRole)),
        prop('AppRole.DisplayName', null, json(appRole.replace(/\./g, ' '))),
      ],
    });
    const principal = has(lower, 'to group', 'from group') ? group(seed) : has(lower, 'service principal') ? servicePrincipal(`${seed}:client`) : who('assignee');
    return { targets: [resource, principal] };
  }

  // Delegated permissions and consent: the client service principal and the scopes granted on the resource.
  if (has(lower, 'delegated permission', 'permission grant', 'application permissions', 'consent to application', 'contextual consent', 'restore consent')) {
    if (has(lower, 'permission grant policy')) return { targets: [entity(seed, 'Policy', 'Default permission grant policy')] };
    const scope = pick(seed, SCOPES);
    const client = servicePrincipal(`${seed}:client`, {
      modifiedProperties: [
        prop('ConsentContext.IsAdminConsent', null, json('True')),
        prop('ConsentAction.Permissions', null, json(`[] => [[Id: ${hex(seed, 12)}, ClientId: ${guid(`${seed}:client`)}, Scope: ${scope}]]`)),
      ],
    });
    const resource = servicePrincipal(`${seed}:graph`, {
      displayName: 'Microsoft Graph',
      modifiedProperties: [prop('DelegatedPermissionGrant.Scope', null, json(scope))],
    });
    return { targets: has(lower, 'consent') ? [client] : [client, resource] };
  }

  // Group membership and ownership: the member carries its group's id and name.
  if (has(lower, 'member to group', 'member from group', 'owner to group', 'owner from group', 'group_addmember', 'group_removemember', 'group_addowner', 'group_removeowner', 'eligible owner from group', 'eligible member from group')) {
    const g = group(seed);
    const groupProps = [prop('Group.ObjectID', null, json(g.id)), prop('Group.DisplayName', null, json(g.displayName))];
    const member = has(lower, 'member') && fnv(`${seed}:nested`) % 3 === 0
      ? group(`${seed}:child`, { displayName: `${g.displayName} - Contractors`, modifiedProperties: groupProps })
      : who('member');
    if (member.type === 'User') member.modifiedProperties = groupProps;
    return { targets: [member, g] };
  }

  // Owners of applications, service principals, policies, device templates: the object and its new owner.
  if (/\bowner (to|from) /.test(lower)) {
    const object = has(lower, 'service principal') ? servicePrincipal(seed) : has(lower, 'application') ? entity(seed, 'Application', pick(seed, APPS))
      : has(lower, 'device') ? entity(seed, 'Device', `LAPTOP-${hex(seed, 6).toUpperCase()}`)
      : has(lower, 'policy') ? entity(seed, 'Policy', 'Token lifetime policy') : entity(seed, 'Other', objectWords(row.activity));
    const owner = fnv(`${seed}:owner`) % 4 === 0 ? servicePrincipal(`${seed}:owner`) : who('owner');
    return { targets: [object, owner] };
  }

  // Directory roles, PIM included: the role (with Role.* properties) and the principal.
  if (isPim || /\b(to|from) role\b/.test(lower) || has(lower, 'roledefinition', 'role definition', 'elevated their access', 'user access administrator', 'entitlement management role')) {
    if (has(lower, 'add role definition', 'update role definition', 'delete role definition', 'role definition created', 'add role from template', 'update role setting', 'pim policy', 'pim alert')) {
      const roleName = pick(seed, ROLES);
      return { targets: [entity(seed, 'Role', roleName, { modifiedProperties: [prop('RoleDefinition.DisplayName', null, json(roleName))] })] };
    }
    const roleName = has(lower, 'user access administrator') ? 'User Access Administrator' : pick(seed, ROLES);
    const role = entity(seed, 'Role', roleName, {
      modifiedProperties: [
        prop('Role.ObjectID', null, json(guid(`${seed}:roleid`))),
        prop('Role.DisplayName', null, json(roleName)),
        prop('Role.TemplateId', null, json(guid(`${seed}:template`))),
      ],
    });
    // Principals vary as they do in real tenants: users mostly, sometimes a service principal or a group.
    const kind = fnv(`${seed}:principal`) % 6;
    const principal = has(lower, 'user access administrator') ? who('member') : kind === 4 ? servicePrincipal(seed) : kind === 5 ? group(seed) : who('member');
    const targets = [role, principal];
    if (isPim && has(lower, 'request', 'approv', 'cancel', 'denied')) targets.push(entity(seed, 'Request', 'Role assignment request'));
    return { targets };
  }

  // Credentials and sign-in methods of a user.
  if (has(lower, 'hardware oath token') && !has(lower, 'assign')) return { targets: [entity(seed, 'Other', 'OATH token 0042')] };
  if (has(lower, 'user attribute', 'user flow')) return { targets: [entity(seed, 'Other', 'B2C_1_signup_signin')] };
  if (has(lower, 'password', 'security info', 'strong authentication', 'passkey', 'windows hello', 'phone sign-in', 'platform credential', 'multifactor', 'totp', 'hardware oath', 'application password', 'mfa', 'one time password', 'phone number', 'unlock user')) {
    if (has(lower, 'policy', 'writeback', 'password policy', 'dsr ')) return { targets: [entity(seed, 'Policy', row.activity.replace(/^(update|set|enable|disable)\s+/i, ''))] };
    const u = who('subject');
    if (has(lower, 'strong authentication')) {
      const before = [{ MethodType: 6, Default: true }];
      const after = lower.startsWith('enable') ? [{ MethodType: 6, Default: true }, { MethodType: 7, Default: false }] : [];
      u.modifiedProperties = [prop('StrongAuthenticationRequirement', json([]), json([{ State: lower.startsWith('enable') ? 1 : 0 }])), prop('StrongAuthenticationMethod', json(before), json(after))];
    }
    if (has(lower, 'security info')) u.modifiedProperties = [prop('Methods', null, json(pick(seed, ['Microsoft Authenticator', 'Phone', 'FIDO2 security key', 'Temporary Access Pass'])))];
    return { targets: [u] };
  }

  if (has(lower, 'service principal')) return { targets: [servicePrincipal(seed)] };
  if (has(lower, 'application', 'v2 app', 'v1 app', 'safe rollout', 'verified publisher', 'external secrets')) {
    const app = entity(seed, 'Application', pick(seed, APPS));
    if (lower.startsWith('update')) app.modifiedProperties = [prop('DisplayName', json(`${app.displayName} (old)`), json(app.displayName)), prop('Included Updated Properties', null, json('DisplayName'))];
    return { targets: [app] };
  }
  if (has(lower, 'device')) return { targets: [entity(seed, 'Device', `LAPTOP-${hex(seed, 6).toUpperCase()}`)] };
  if (has(lower, 'group')) return { targets: [group(seed)] };
  if (has(lower, 'user', 'account', 'sponsor', 'guest', 'elevated their access')) {
    const u = who('subject');
    if (lower === 'update user') u.modifiedProperties = [prop('AccountEnabled', json([true]), json([false])), prop('Included Updated Properties', null, json('AccountEnabled'))];
    return { targets: [u] };
  }
  if (has(lower, 'domain')) return { targets: [entity(seed, 'Domain', `${hex(seed, 5)}.${DOMAIN}`)] };
  if (has(lower, 'administrative unit')) return { targets: [entity(seed, 'AdministrativeUnit', 'EMEA administrators'), who('member')] };
  if (has(lower, 'access package')) return { targets: [entity(seed, 'AccessPackage', 'Marketing campaign access'), who('requestor')] };
  if (has(lower, 'policy', 'named location', 'terms of use', 'security defaults', 'continuous access')) {
    return { targets: [entity(seed, 'Policy', row.activity.replace(/^(add|create|update|delete|remove|set|edit|publish|hard delete)\s+/i, ''))] };
  }
  if (has(lower, 'company', 'tenant', 'directory', 'partner', 'subscription')) return { targets: [entity(seed, 'Directory', 'Contoso')] };
  if (row.category === 'UserManagement' && /\buser\b|timestamp|license|manager/.test(lower)) return { targets: [who('subject')] };
  // B2C reads and list calls often carry no target at all.
  if (/^get\b/.test(lower) && fnv(`${seed}:empty`) % 2 === 0) return { targets: [] };
  return { targets: [entity(seed, 'Other', objectWords(row.activity))] };
}

function objectWords(activity) {
  const words = activity.split(/\s+/);
  return words.length > 1 ? words.slice(1).join(' ') : activity;
}

function initiatedBy(seed) {
  const kind = fnv(`${seed}:initiator`) % 20;
  if (kind === 0) return { app: null, user: null };
  if (kind <= 5) {
    const name = pick(`${seed}:app`, APPS);
    return { app: { appId: guid(`${seed}:appid`), displayName: name, servicePrincipalId: guid(`${seed}:spid`), servicePrincipalName: name }, user: null };
  }
  const name = pick(`${seed}:admin`, ['admin', 'it.ops', 'security.admin']);
  const ip = kind % 4 === 0 ? `2001:db8::${(fnv(seed) % 65535).toString(16)}` : `203.0.113.${fnv(seed) % 250}`;
  return {
    app: null,
    user: { id: guid(`${seed}:admin`), displayName: null, userPrincipalName: `${name}@${DOMAIN}`, ipAddress: ip, userType: null, homeTenantId: null, homeTenantName: null },
  };
}

function record(row, index) {
  const seed = `${row.service}|${row.category}|${row.activity}`;
  const { targets } = targetsFor(row, seed);
  const failed = fnv(`${seed}:result`) % 19 === 0;
  const ms = BASE_TIME + index * 37_000 + (fnv(`${seed}:ms`) % 1000);
  const fraction = String(fnv(`${seed}:frac`) % 10_000).padStart(4, '0');
  const iso = new Date(ms).toISOString().replace('Z', `${fraction}Z`);
  const additionalDetails = [{ key: 'User-Agent', value: pick(`${seed}:ua`, AGENTS) }];
  return {
    id: `Directory_${hex(seed, 5).toUpperCase()}_${fnv(`${seed}:n`) % 100_000_000}`,
    category: row.category,
    correlationId: guid(`${seed}:correlation`),
    result: failed ? 'failure' : 'success',
    resultReason: failed ? 'Microsoft.Online.Workflows.ObjectAlreadyExistsException' : '',
    activityDisplayName: row.activity,
    activityDateTime: iso,
    loggedByService: row.service,
    operationType: operationType(row.activity.toLowerCase()),
    initiatedBy: initiatedBy(seed),
    targetResources: targets,
    additionalDetails,
  };
}

/** The corpus as a Graph response page. */
function generate(rows = readReference()) {
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits',
    value: rows.map(record),
  };
}

/** One record per line: diffs of a regenerated corpus show which activities changed. */
function serialize(page) {
  const lines = page.value.map((r) => JSON.stringify(r));
  return `{"@odata.context":${JSON.stringify(page['@odata.context'])},"value":[\n${lines.join(',\n')}\n]}\n`;
}

module.exports = { readReference, generate, serialize, REFERENCE, OUTPUT };

if (require.main === module) {
  const page = generate();
  fs.writeFileSync(OUTPUT, serialize(page));
  process.stdout.write(`${page.value.length} records → ${path.relative(process.cwd(), OUTPUT)}\n`);
}
