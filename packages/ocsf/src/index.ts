export type {
  EntraSource, MapContext, OcsfEvent, OcsfActor, OcsfUser, OcsfAccount, OcsfGroup, OcsfManagedEntity, OcsfMetadata,
  OcsfNetworkEndpoint, OcsfPolicy, OcsfAuthFactor, OcsfAuthorization, OcsfResourceDetails, OcsfLdapPerson, OcsfSession, OcsfDevice,
  AccountChangeEvent, AuthenticationEvent, EntityManagementEvent, UserAccessEvent, GroupManagementEvent, UserInventoryEvent,
} from './types';
export { MappingError } from './errors';
export { MAPPERS, mapRecord, type Mapper } from './map';
export { recordId, recordTime } from './record';
export { serializeEvent } from './serialize';
export { OCSF_CLASSES, CLASS_INFO, type OcsfClassUid } from './classes';
export { createEventValidator, type EventValidator, type ValidationResult } from './validator';
export { SCHEMA_DIR } from './schemas';
export { DIRECTORY_AUDIT_ACTIVITY_TABLE, lookupActivity, type ActivityRow } from './activity-table';
export { parseGraphTime } from './time';
export { OCSF_VERSION } from './common';
export { parseRecords, InputError } from './input';
export { ActivityStats } from './stats';
export { createSemanticChecker, describeFinding, unexplained, type SemanticChecker, type SemanticFinding, type SemanticCode } from './semantics';
export { SEMANTIC_ALLOW_LIST, type AllowedFinding } from './semantic-allow-list';
