/**
 * A local Microsoft Graph v1.0 and Microsoft identity platform token endpoint with deterministic demo tenants
 * and faults on demand. See README.md for the endpoints and the test-only controls.
 */
export { ACTIVITY_CATALOG } from './catalog';
export type { CatalogActivity } from './catalog';
export { openIdConfiguration, cloudDiscoveryMetadata } from './metadata';
export { measureServeRate } from './bench';
export type { ServeRate } from './bench';
export * from './types';
export * from './simulator';
