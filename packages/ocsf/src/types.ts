/**
 * TypeScript shapes of the OCSF 1.8.0 objects this package emits: the subset of the shipped JSON Schemas
 * (schemas/1.8.0, the single source of truth) that the mappers write. Tests validate every produced event against
 * those schemas, so a field added here but not allowed there fails the build's tests.
 */
import type { SourceName } from '@entra-ingest/sources';

/** A source of the registry (packages/sources): each has exactly one mapper (map.ts). */
export type EntraSource = SourceName;

export interface MapContext {
  /** The Entra tenant (directory) id: metadata.tenant_uid and cloud.org.uid. */
  tenantId?: string;
  /** Adds the source record as a JSON string in `raw_data`. */
  includeRawData?: boolean;
  /** metadata.log_name; default: the source name. */
  logName?: string;
  /**
   * When a `users` record was read (ms since the epoch): the inventory event's `time`. Users carry no event time of
   * their own; without it the current clock is used, the one input that makes a users mapping time-dependent.
   */
  observedTime?: number;
}

export interface OcsfFeature { name: string }
export interface OcsfProduct { name: string; vendor_name: string; feature?: OcsfFeature }

export interface OcsfMetadata {
  version: string;
  product: OcsfProduct;
  profiles?: string[];
  log_name?: string;
  log_provider?: string;
  uid?: string;
  correlation_uid?: string;
  tenant_uid?: string;
  original_time?: string;
  event_code?: string;
}

export interface OcsfAccount {
  uid?: string;
  name?: string;
  type_id?: number;
  type?: string;
  is_disabled?: boolean;
  is_locked?: boolean;
  is_on_premises_sync_enabled?: boolean;
}

export interface OcsfOrganization { uid?: string; name?: string }

export interface OcsfLdapPerson {
  given_name?: string;
  surname?: string;
  display_name?: string;
  job_title?: string;
  department?: string;
  office_location?: string;
  employee_uid?: string;
  cost_center?: string;
  phone_number?: string;
  email_addrs?: string[];
  created_time?: number;
  manager?: OcsfUser;
}

export interface OcsfGroup { uid?: string; name?: string; type?: string; desc?: string; privileges?: string[] }

export interface OcsfUser {
  uid?: string;
  name?: string;
  display_name?: string;
  full_name?: string;
  email_addr?: string;
  type_id?: number;
  type?: string;
  has_mfa?: boolean;
  domain?: string;
  account?: OcsfAccount;
  org?: OcsfOrganization;
  ldap_person?: OcsfLdapPerson;
  groups?: OcsfGroup[];
  phone_number?: string;
  risk_level?: string;
  risk_level_id?: number;
}

export interface OcsfActor { user?: OcsfUser; app_name?: string; app_uid?: string }
export interface OcsfSession { uid?: string; issuer?: string; is_mfa?: boolean }
export interface OcsfDevice {
  type_id: number;
  type?: string;
  uid?: string;
  name?: string;
  ip?: string;
  os?: OcsfOs;
  is_compliant?: boolean;
  is_managed?: boolean;
}

export interface OcsfLocation { city?: string; region?: string; country?: string; lat?: number; long?: number }
export interface OcsfOs { name: string; type_id: number; type?: string }

export interface OcsfNetworkEndpoint {
  uid?: string;
  name?: string;
  ip?: string;
  svc_name?: string;
  location?: OcsfLocation;
  os?: OcsfOs;
  type_id?: number;
  type?: string;
}

export interface OcsfPolicy { uid?: string; name?: string; type?: string; is_applied?: boolean; desc?: string; data?: unknown }

export interface OcsfManagedEntity {
  uid?: string;
  name?: string;
  type?: string;
  type_id?: number;
  policy?: OcsfPolicy;
  group?: OcsfGroup;
  user?: OcsfUser;
  org?: OcsfOrganization;
  data?: unknown;
}

export interface OcsfResourceDetails { uid?: string; name?: string; type?: string }
export interface OcsfService { uid?: string; name?: string }
export interface OcsfAuthFactor { factor_type_id: number; factor_type?: string; provider?: string }
export interface OcsfAuthorization { decision?: string; policy?: OcsfPolicy }
export interface OcsfCloud { provider: string; org?: OcsfOrganization; region?: string }
export interface OcsfHttpRequest { user_agent?: string }

/** Attributes every event of these classes has (OCSF base event + what we always write). */
export interface OcsfEvent {
  activity_id: number;
  activity_name?: string;
  category_uid: number;
  category_name?: string;
  class_uid: number;
  class_name?: string;
  type_uid: number;
  type_name?: string;
  severity_id: number;
  severity?: string;
  status_id?: number;
  status?: string;
  status_code?: string;
  status_detail?: string;
  time: number;
  message?: string;
  metadata: OcsfMetadata;
  timezone_offset?: number;
  observables?: Array<{ name: string; type_id: number; type?: string; value?: string }>;
  cloud?: OcsfCloud;
  actor?: OcsfActor;
  src_endpoint?: OcsfNetworkEndpoint;
  http_request?: OcsfHttpRequest;
  unmapped?: Record<string, unknown>;
  raw_data?: string;
  [attribute: string]: unknown;
}

export interface AccountChangeEvent extends OcsfEvent { class_uid: 3001; user: OcsfUser }
export interface AuthenticationEvent extends OcsfEvent {
  class_uid: 3002;
  user: OcsfUser;
  service?: OcsfService;
  dst_endpoint?: OcsfNetworkEndpoint;
  is_mfa?: boolean;
  is_remote?: boolean;
  auth_factors?: OcsfAuthFactor[];
  session?: OcsfSession;
  device?: OcsfDevice;
  is_alert?: boolean;
  logon_type_id?: number;
  logon_type?: string;
  auth_protocol_id?: number;
  auth_protocol?: string;
  action_id?: number;
  action?: string;
  disposition_id?: number;
  disposition?: string;
  authorizations?: OcsfAuthorization[];
  policy?: OcsfPolicy;
  risk_level_id?: number;
  risk_level?: string;
  risk_details?: string;
}
export interface EntityManagementEvent extends OcsfEvent { class_uid: 3004; entity: OcsfManagedEntity }
export interface UserAccessEvent extends OcsfEvent {
  class_uid: 3005;
  user: OcsfUser;
  privileges: string[];
  resource?: OcsfResourceDetails;
}
export interface GroupManagementEvent extends OcsfEvent {
  class_uid: 3006;
  group: OcsfGroup;
  user?: OcsfUser;
  subgroup?: OcsfGroup;
  privileges?: string[];
  resource?: OcsfResourceDetails;
}
export interface UserInventoryEvent extends OcsfEvent { class_uid: 5003; user: OcsfUser }
