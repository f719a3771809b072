/** The OCSF 1.8.0 classes this package emits, with their activity captions (from the 1.8.0 schema). */
export const DETECTION_FINDING = 2004;
export const ACCOUNT_CHANGE = 3001;
export const AUTHENTICATION = 3002;
export const ENTITY_MANAGEMENT = 3004;
export const USER_ACCESS = 3005;
export const GROUP_MANAGEMENT = 3006;
export const DEVICE_INVENTORY = 5001;
export const USER_INVENTORY = 5003;

export type OcsfClassUid =
  | typeof DETECTION_FINDING
  | typeof ACCOUNT_CHANGE
  | typeof AUTHENTICATION
  | typeof ENTITY_MANAGEMENT
  | typeof USER_ACCESS
  | typeof GROUP_MANAGEMENT
  | typeof DEVICE_INVENTORY
  | typeof USER_INVENTORY;

export interface OcsfClassInfo {
  /** The schema's class name: file name of its JSON Schema and the sink's partition name. */
  name: string;
  caption: string;
  categoryUid: number;
  categoryName: string;
  /** activity_id → caption */
  activities: Readonly<Record<number, string>>;
}

const IAM = 'Identity & Access Management';

export const CLASS_INFO: Readonly<Record<OcsfClassUid, OcsfClassInfo>> = {
  [DETECTION_FINDING]: {
    name: 'detection_finding',
    caption: 'Detection Finding',
    categoryUid: 2,
    categoryName: 'Findings',
    activities: { 0: 'Unknown', 1: 'Create', 2: 'Update', 3: 'Close', 99: 'Other' },
  },
  [ACCOUNT_CHANGE]: {
    name: 'account_change',
    caption: 'Account Change',
    categoryUid: 3,
    categoryName: IAM,
    activities: {
      0: 'Unknown', 1: 'Create', 2: 'Enable', 3: 'Password Change', 4: 'Password Reset', 5: 'Disable', 6: 'Delete',
      7: 'Attach Policy', 8: 'Detach Policy', 9: 'Lock', 10: 'MFA Factor Enable', 11: 'MFA Factor Disable',
      12: 'Unlock', 99: 'Other',
    },
  },
  [AUTHENTICATION]: {
    name: 'authentication',
    caption: 'Authentication',
    categoryUid: 3,
    categoryName: IAM,
    activities: {
      0: 'Unknown', 1: 'Logon', 2: 'Logoff', 3: 'Authentication Ticket', 4: 'Service Ticket Request',
      5: 'Service Ticket Renew', 6: 'Preauth', 7: 'Account Switch', 99: 'Other',
    },
  },
  [ENTITY_MANAGEMENT]: {
    name: 'entity_management',
    caption: 'Entity Management',
    categoryUid: 3,
    categoryName: IAM,
    activities: {
      0: 'Unknown', 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete', 5: 'Move', 6: 'Enroll', 7: 'Unenroll',
      8: 'Enable', 9: 'Disable', 10: 'Activate', 11: 'Deactivate', 12: 'Suspend', 13: 'Resume', 99: 'Other',
    },
  },
  [USER_ACCESS]: {
    name: 'user_access',
    caption: 'User Access Management',
    categoryUid: 3,
    categoryName: IAM,
    activities: { 0: 'Unknown', 1: 'Assign Privileges', 2: 'Revoke Privileges', 99: 'Other' },
  },
  [GROUP_MANAGEMENT]: {
    name: 'group_management',
    caption: 'Group Management',
    categoryUid: 3,
    categoryName: IAM,
    activities: {
      0: 'Unknown', 1: 'Assign Privileges', 2: 'Revoke Privileges', 3: 'Add User', 4: 'Remove User', 5: 'Delete',
      6: 'Create', 7: 'Add Subgroup', 8: 'Remove Subgroup', 99: 'Other',
    },
  },
  [DEVICE_INVENTORY]: {
    name: 'inventory_info',
    caption: 'Device Inventory Info',
    categoryUid: 5,
    categoryName: 'Discovery',
    activities: { 0: 'Unknown', 1: 'Log', 2: 'Collect', 99: 'Other' },
  },
  [USER_INVENTORY]: {
    name: 'user_inventory',
    caption: 'User Inventory Info',
    categoryUid: 5,
    categoryName: 'Discovery',
    activities: { 0: 'Unknown', 1: 'Log', 2: 'Collect', 99: 'Other' },
  },
};

/** class_uid → { name, caption }: e.g. 3001 → account_change (used to name sink partitions). */
export const OCSF_CLASSES: Readonly<Record<number, { name: string; caption: string }>> = Object.freeze(
  Object.fromEntries(
    Object.entries(CLASS_INFO).map(([uid, info]) => [Number(uid), Object.freeze({ name: info.name, caption: info.caption })]),
  ),
);

/** activity caption → id for one class; throws on a caption the class does not have (a typo in the table). */
export function activityIdOf(classUid: OcsfClassUid, caption: string): number {
  const activities = CLASS_INFO[classUid].activities;
  for (const id in activities) if (activities[id] === caption) return Number(id);
  throw new Error(`OCSF class ${classUid} has no activity "${caption}"`);
}

export const OTHER = 99;
