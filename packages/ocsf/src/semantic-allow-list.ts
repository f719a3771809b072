import type { SemanticCode } from './semantics';

/**
 * Semantic warnings we accept, each with the reason it cannot be fixed from what Graph sends. Reviewed: an entry
 * names one class, one check, one attribute path (array indexes left out) and, where the attribute belongs to
 * some activities only, those it does not apply to. The corpus test fails on an entry that no longer matches
 * anything, so the list can only shrink.
 */
export interface AllowedFinding {
  classUid: number;
  code: SemanticCode;
  path: string;
  /** Only events of these activities; all when absent. */
  activityIds?: readonly number[];
  reason: string;
}

const MISSING = 'attribute_recommended_missing';
const NO_INITIATOR_IP =
  'initiatedBy gives no IP address: applications and system-initiated changes have none, and Graph often writes ""';
const NO_RESULT_REASON = 'resultReason is empty for most successful audits: Graph gives no detail';

export const SEMANTIC_ALLOW_LIST: readonly AllowedFinding[] = [
  // Directory audits (3001, 3004, 3005, 3006)
  ...[3001, 3004, 3005, 3006].flatMap((classUid): AllowedFinding[] => [
    { classUid, code: MISSING, path: 'src_endpoint', reason: NO_INITIATOR_IP },
    { classUid, code: MISSING, path: 'status_detail', reason: NO_RESULT_REASON },
  ]),
  ...[3001, 3004, 3005, 3006].map((classUid): AllowedFinding => ({
    classUid, code: MISSING, path: 'actor',
    reason: 'initiatedBy names neither a user nor an app (null members, or activity the service logs as its own)',
  })),
  { classUid: 3004, code: MISSING, path: 'comment', reason: 'a directory audit has no free-text comment' },
  {
    classUid: 3001, code: MISSING, path: 'user_result',
    reason: 'set from modifiedProperties (the new values); audits that carry none (most creates, deletes, resets) have no result',
  },
  {
    classUid: 3004, code: MISSING, path: 'entity_result',
    reason: 'set from modifiedProperties (the new values); audits that carry none (creates, deletes, reads) have no result',
  },
  {
    classUid: 3004, code: 'attribute_enum_sibling_suspicious_other', path: 'entity.type',
    reason: 'Graph itself types many targets "Other": entity.type is that source term, as OCSF asks for id 99',
  },
  {
    classUid: 3004, code: 'attribute_enum_sibling_suspicious_other', path: 'activity_name', activityIds: [99],
    reason: 'Microsoft publishes an audit activity named "Other": activity_name keeps Microsoft\'s name',
  },
  {
    classUid: 3005, code: MISSING, path: 'resources',
    reason: 'the record names no separate resource: consent names only the application consented to (the grantee), '
      + 'and some role and owner changes are logged with a single target',
  },
  {
    classUid: 3006, code: MISSING, path: 'privileges', activityIds: [3, 4, 5, 6, 7, 8, 99],
    reason: 'only Assign/Revoke Privileges grant something; membership and lifecycle changes grant nothing',
  },
  {
    classUid: 3006, code: MISSING, path: 'subgroup', activityIds: [1, 2, 3, 4, 5, 6, 99],
    reason: 'only Add/Remove Subgroup have a subgroup',
  },
  {
    classUid: 3006, code: MISSING, path: 'resource', activityIds: [1, 2, 3, 4, 5, 6, 7, 8, 99],
    reason: 'only an app role assigned to a group names the resource it gives access to',
  },
  {
    classUid: 3006, code: MISSING, path: 'user', activityIds: [1, 2, 5, 6, 7, 8, 99],
    reason: 'a group created, deleted or given an app role, or a subgroup added, names no user',
  },
  // Sign-ins (3002)
  {
    classUid: 3002, code: MISSING, path: 'account_switch_type', activityIds: [1],
    reason: 'only Account Switch (activity 7) events switch accounts; a sign-in is a Logon',
  },
  {
    classUid: 3002, code: MISSING, path: 'account_switch_type_id', activityIds: [1],
    reason: 'only Account Switch (activity 7) events switch accounts; a sign-in is a Logon',
  },
  {
    classUid: 3002, code: MISSING, path: 'certificate',
    reason: 'a sign-in names at most a credential key id and thumbprint (kept in unmapped), not a certificate',
  },
  {
    classUid: 3002, code: MISSING, path: 'confidence_id',
    reason: 'Conditional Access and Identity Protection state no confidence for their decisions',
  },
  {
    classUid: 3002, code: MISSING, path: 'auth_protocol',
    reason: 'v1.0 sign-ins carry no authenticationProtocol, and beta writes "none" when no protocol applies',
  },
  {
    classUid: 3002, code: MISSING, path: 'auth_protocol_id',
    reason: 'v1.0 sign-ins carry no authenticationProtocol, and beta writes "none" when no protocol applies',
  },
  {
    classUid: 3002, code: MISSING, path: 'is_mfa',
    reason: 'a v1.0 sign-in without authenticationRequirement, mfaDetail or authentication details says nothing of MFA',
  },
  {
    classUid: 3002, code: MISSING, path: 'session',
    reason: 'v1.0 sign-ins carry no sessionId and no token issuer',
  },
  {
    classUid: 3002, code: MISSING, path: 'src_endpoint',
    reason: 'a managed identity signing in from inside Azure has no client IP, and no device',
  },
  {
    classUid: 3002, code: MISSING, path: 'status_detail',
    reason: 'a successful sign-in has no detail unless status.additionalDetails gives one (failureReason is a placeholder)',
  },
  // Identity Protection findings (2004)
  {
    classUid: 2004, code: MISSING, path: 'confidence_id',
    reason: 'Identity Protection states a risk level, not the confidence of the detection that raised it',
  },
  // Devices (5001)
  {
    classUid: 5001, code: MISSING, path: 'status_code',
    reason: 'a device record carries no result: the event\'s status (Success) is the collection\'s own',
  },
  {
    classUid: 5001, code: MISSING, path: 'status_detail',
    reason: 'a device record carries no result: the event\'s status (Success) is the collection\'s own',
  },
  // Users (5003)
  {
    classUid: 5003, code: MISSING, path: 'status_code',
    reason: 'a user record carries no result: the event\'s status (Success) is the collection\'s own',
  },
  {
    classUid: 5003, code: MISSING, path: 'status_detail',
    reason: 'a user record carries no result: the event\'s status (Success) is the collection\'s own',
  },
];
