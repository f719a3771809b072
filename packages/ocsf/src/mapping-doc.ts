import { DIRECTORY_AUDIT_ACTIVITY_TABLE, type ActivityRow } from './activity-table';
import { DIRECTORY_AUDIT_RULES } from './audit-rules';
import { ACTION_CAPTIONS, FAMILY_CLASS, FAMILY_POLICY, FAMILY_VERBS, VERB_ACTIONS, type Action, type AuditClassUid, type Family } from './audit-vocabulary';
import { activityIdOf, CLASS_INFO, OTHER } from './classes';

/** The markers around the generated part of docs/mapping.md. */
export const DOC_BEGIN = '<!-- BEGIN GENERATED: directory-audit classification (pnpm -s docs:mapping) -->';
export const DOC_END = '<!-- END GENERATED: directory-audit classification -->';

const FAMILIES = Object.keys(FAMILY_CLASS) as Family[];

function classLabel(uid: AuditClassUid): string {
  return `${CLASS_INFO[uid].caption} (${uid})`;
}

function activityLabel(uid: AuditClassUid, action: Action): string {
  const caption = ACTION_CAPTIONS[uid][action];
  return caption === undefined ? 'Other (99)' : `${caption} (${activityIdOf(uid, caption)})`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function matchText(row: ActivityRow): string {
  const m = row.match;
  const name = 'activity' in m ? m.activity : `${m.startsWith}…`;
  return m.category ? `${name} (category ${m.category})` : name;
}

/**
 * The directory-audit classification as Markdown, generated from the tables the mapper runs on: families and their
 * classes, the three layers (exact names, rules, operationType) and the verb readings. docs/mapping.md embeds it
 * between DOC_BEGIN and DOC_END; a test fails when the two differ.
 */
export function renderAuditClassificationDoc(): string {
  const out: string[] = [DOC_BEGIN, ''];
  out.push(
    'A directory audit is classified in layers, each a table in `packages/ocsf/src/`. Each layer names a **family**',
    '(what kind of thing happened) and an **action** (what happened to it); the family decides the class and the class',
    'says what it calls the action. `activity_name` is the OCSF caption, or Microsoft\'s `activityDisplayName` when the',
    'activity is Other (99) (`type_name` then reads "<Class>: Other"); `message` always keeps Microsoft\'s name.',
    '',
    '1. **Exact names** (`activity-table.ts`): names whose meaning needs no reading, or that their verb would mislead.',
    '2. **Rules** (`audit-rules.ts`) over the name\'s verb and object, `category`, `loggedByService` and the target',
    '   types; the first rule that matches names the family, the family\'s reading of the verb names the action.',
    '3. **operationType** (Add, Update, Delete, Assign, Unassign), only where the verb is silent and Graph\'s word has an',
    '   activity in the family\'s class; never for a request, approval, cancellation or denial.',
    '4. Otherwise: the family\'s Other (99); a name no rule claims is Entity Management.',
    '',
    'Records whose class needs a subject they lack (an Account Change without a user target, a grant without a',
    'grantee) fall back to Entity Management Other of the target they have, or of the tenant; nothing is dropped.',
    '',
    '### Families: the one place a class is decided (`FAMILY_CLASS` in `audit-vocabulary.ts`)',
    '',
    '| family | class | policy and why |',
    '| --- | --- | --- |',
  );
  for (const f of FAMILIES) out.push(`| ${f} | ${classLabel(FAMILY_CLASS[f])} | ${cell(FAMILY_POLICY[f])} |`);
  out.push(
    '',
    'Restore is Create in every class that has it: a restored object re-enters the directory under its old id, which a',
    'reader of the lake sees as it saw the Create; OCSF 1.8.0 has no Restore or Undelete in these classes.',
    '',
    '**OCSF 1.9.** User Management (3007) has Create, Update, Delete, Enable, Disable, Lock, Unlock, Password Change,',
    'Password Reset, Attach/Detach Policies, MFA Factor Enable/Disable, Assign/Remove Privileges and Assign/Remove Roles',
    'for a user: `account`, `password` and `authMethod` move there, "Update user" stops being Other, and directory',
    'roles given to users become Assign/Remove Roles (with `iam_roles`) instead of User Access Management. Role',
    'Management (3008) covers a role\'s own lifecycle and privileges (Create/Update/Delete role, Assign/Remove',
    'Privileges or Resources): role definitions, today Entity Management, move there. Both are edits of `FAMILY_CLASS`',
    'plus the new classes\' rows in `ACTION_CAPTIONS`.',
    '',
    '### What each class calls an action (`ACTION_CAPTIONS`)',
    '',
    '| action | ' + (Object.keys(ACTION_CAPTIONS) as unknown as AuditClassUid[]).map((u) => `${CLASS_INFO[u].caption} ${u}`).join(' | ') + ' |',
    '| --- |' + ' --- |'.repeat(Object.keys(ACTION_CAPTIONS).length),
  );
  const classes = Object.keys(ACTION_CAPTIONS).map(Number) as AuditClassUid[];
  const actions = new Set<Action>();
  for (const u of classes) for (const a of Object.keys(ACTION_CAPTIONS[u]) as Action[]) actions.add(a);
  for (const a of actions) out.push(`| ${a} | ${classes.map((u) => (ACTION_CAPTIONS[u][a] === undefined ? '—' : activityLabel(u, a))).join(' | ')} |`);
  out.push('', 'An action a class does not list is that class\'s Other (99).', '');

  out.push('### How verbs read', '', 'The verb is the first word of the name past "Hard", "Soft", "Bulk", "Admin", "User", …, in its base form;',
    'PIM and request names take their state as the verb ("… requested" → request, "… canceled" → cancel,',
    '"… request approved" → approve, "(PIM activation expired)" → expire, "approved by admin (extend/renew)" → extend).', '',
    '| verbs | action |', '| --- | --- |');
  const byAction = new Map<string, string[]>();
  for (const [verb, action] of Object.entries(VERB_ACTIONS)) byAction.set(action, [...(byAction.get(action) ?? []), verb]);
  for (const [action, verbs] of byAction) out.push(`| ${verbs.join(', ')} | ${action} |`);
  out.push('', 'Families with their own reading (tried first):', '', '| family | verbs → action |', '| --- | --- |');
  for (const f of FAMILIES) {
    const own = FAMILY_VERBS[f];
    if (!own) continue;
    const groups = new Map<string, string[]>();
    for (const [verb, action] of Object.entries(own)) groups.set(action, [...(groups.get(action) ?? []), verb]);
    out.push(`| ${f} | ${[...groups].map(([a, vs]) => `${vs.join(', ')} → ${a}`).join('; ')} |`);
  }
  out.push('', 'Verbs in no table (approve, deny, cancel, request, process, confirm, dismiss, start, …) have no counterpart: Other.', '');

  out.push('### Layer 2: rules, in order', '', '| # | when the name matches | unless | also | family | object | why |', '| --- | --- | --- | --- | --- | --- | --- |');
  DIRECTORY_AUDIT_RULES.forEach((r, i) => {
    const also = [
      r.verb ? `verb ∈ {${r.verb.join(', ')}}` : '',
      r.target ? `a target of type ${r.target.join('/')}` : '',
      r.category ? `category ${r.category.join('/')}` : '',
      r.service ? `service ${r.service.join('/')}` : '',
      r.action ? `action ${r.action}` : '',
    ].filter(Boolean).join('; ');
    out.push(`| ${i + 1} | ${r.name ? `\`${cell(r.name.source)}\`` : 'any'} | ${r.unless ? `\`${cell(r.unless.source)}\`` : ''} | ${also} | ${r.family} | ${r.object ?? ''} | ${cell(r.why)} |`);
  });
  out.push('');

  out.push('### Layer 1: exact names', '', '| Entra activity | family | class | activity | note |', '| --- | --- | --- | --- | --- |');
  for (const row of DIRECTORY_AUDIT_ACTIVITY_TABLE) {
    const uid = FAMILY_CLASS[row.family];
    const activity = activityLabel(uid, row.action);
    const notes = [row.why ?? '', row.refine === 'userUpdate' ? 'refined from modifiedProperties: AccountEnabled → Enable/Disable, more/fewer StrongAuthenticationMethod → MFA Factor Enable/Disable' : '',
      row.action === 'addMember' || row.action === 'removeMember' ? 'Add/Remove Subgroup when the member is a group' : ''].filter(Boolean).join('; ');
    out.push(`| ${cell(matchText(row))} | ${row.family} | ${classLabel(uid)} | ${activity === 'Other (99)' ? `Other (${OTHER})` : activity} | ${cell(notes)} |`);
  }
  out.push('', DOC_END);
  return out.join('\n');
}

/** docs/mapping.md with its generated part replaced by `rendered`; throws when the markers are missing. */
export function spliceMappingDoc(doc: string, rendered: string): string {
  const begin = doc.indexOf(DOC_BEGIN);
  const end = doc.indexOf(DOC_END);
  if (begin < 0 || end < begin) throw new Error(`docs/mapping.md has no "${DOC_BEGIN}" … "${DOC_END}" section`);
  return doc.slice(0, begin) + rendered + doc.slice(end + DOC_END.length);
}
