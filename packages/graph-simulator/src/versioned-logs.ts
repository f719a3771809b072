/**
 * The log sources added with the source registry: provisioning logs and the four Identity Protection lists. Each is a
 * stream of births (an EventStream); a birth has one version (provisioning) or several (risk: the state changes
 * later, and each change moves `lastUpdatedDateTime`). A query sees, per record key, the latest version visible now,
 * filtered on the registry's time field: exactly what Graph serves for records that change in place.
 */
import { SOURCE_SPECS } from '@entra-ingest/sources';
import type { EventStream, StreamEvent } from './event-stream';
import { LOCATIONS } from './names';
import { mix32, Rng } from './prng';
import type { TenantRuntime } from './state';
import type { TenantModel } from './tenant-model';
import { TICKS_PER_MS, ticksToIso } from './time';

export type VersionedSource = 'provisioning' | 'riskDetections' | 'servicePrincipalRiskDetections' | 'riskyUsers' | 'riskyServicePrincipals';
export const VERSIONED_SOURCES: readonly VersionedSource[] = ['provisioning', 'riskDetections', 'servicePrincipalRiskDetections', 'riskyUsers', 'riskyServicePrincipals'];

type Json = Record<string, unknown>;

export interface Version {
  /** The record's key in Graph: one record per key, showing its latest version. */
  key: string;
  ticks: number;
  visibleTicks: number;
  build(): Json;
}

/** How long after a birth its risk state may still change (bounds how far back a query must look). */
export interface RiskChangeDelays {
  minSeconds: number;
  maxSeconds: number;
}
export const DEFAULT_RISK_CHANGES: RiskChangeDelays = { minSeconds: 300, maxSeconds: 2700 };

const RISK_EVENT_TYPES = ['unfamiliarFeatures', 'anonymizedIPAddress', 'unlikelyTravel', 'maliciousIPAddress', 'passwordSpray', 'leakedCredentials'];
const SP_RISK_EVENT_TYPES = ['investigationsThreatIntelligence', 'suspiciousSignins', 'leakedCredentials', 'adminConfirmedServicePrincipalCompromised'];
const LEVELS = ['low', 'medium', 'high'];

interface RiskStep {
  ticks: number;
  state: string;
  detail: string;
}

/** A risk birth's history: atRisk, then maybe confirmed or closed, then maybe closed. Pure in (hash, delays). */
function riskSteps(e: StreamEvent, delays: RiskChangeDelays): RiskStep[] {
  const r = new Rng(mix32(e.hash ^ 0x51ed27));
  const steps: RiskStep[] = [{ ticks: e.ticks, state: 'atRisk', detail: 'none' }];
  const gap = (): number => Math.round((delays.minSeconds + r.float() * (delays.maxSeconds - delays.minSeconds)) * 1000 * TICKS_PER_MS);
  const roll = r.float();
  if (roll < 0.4) return steps;
  const first = roll < 0.7 ? { state: 'confirmedCompromised', detail: 'adminConfirmedUserCompromised' } : r.pick([
    { state: 'remediated', detail: 'userPerformedSecuredPasswordReset' },
    { state: 'dismissed', detail: 'adminDismissedAllRiskForUser' },
  ]);
  steps.push({ ticks: steps[0].ticks + gap(), ...first });
  if (first.state === 'confirmedCompromised' && r.chance(0.7)) {
    steps.push({ ticks: steps[1].ticks + gap(), state: 'remediated', detail: 'adminGeneratedTemporaryPassword' });
  }
  return steps;
}

interface Model {
  stream(t: TenantRuntime): EventStream;
  /** Longest time between a birth and its last version. */
  spanTicks(delays: RiskChangeDelays): number;
  versions(e: StreamEvent, t: TenantModel, delays: RiskChangeDelays): Version[];
}

const lag = (e: StreamEvent): number => e.visibleTicks - e.ticks;
const riskSpan = (d: RiskChangeDelays): number => 2 * d.maxSeconds * 1000 * TICKS_PER_MS;

function riskVersions(e: StreamEvent, delays: RiskChangeDelays, key: string, build: (step: RiskStep, steps: RiskStep[]) => Json): Version[] {
  const steps = riskSteps(e, delays);
  return steps.map((step) => ({ key, ticks: step.ticks, visibleTicks: step.ticks + lag(e), build: () => build(step, steps) }));
}

const MODELS: Record<VersionedSource, Model> = {
  provisioning: {
    stream: (t) => t.provisioning,
    spanTicks: () => 0,
    versions(e, t) {
      const r = new Rng(mix32(e.hash ^ 0x9e0b1));
      const id = r.uuid();
      const user = t.users[r.int(t.users.length)];
      const app = t.apps[r.int(t.apps.length)];
      const action = r.pick(['create', 'update', 'update', 'update', 'disable', 'delete', 'stagedDelete']);
      const failed = r.chance(0.08);
      const build = (): Json => ({
        id,
        activityDateTime: ticksToIso(e.ticks),
        tenantId: t.tenantId,
        jobId: `${app.displayName.replace(/\W/g, '')}.${t.tenantId.replace(/-/g, '')}`,
        cycleId: r.uuid(),
        changeId: r.uuid(),
        provisioningAction: action,
        durationInMilliseconds: 500 + r.int(5000),
        provisioningStatusInfo: failed
          ? { status: 'failure', errorInformation: { errorCode: 'EntryConflict', reason: `${app.displayName} returned HTTP 409: an account with this name already exists.`, additionalDetails: null, errorCategory: 'nonServiceFailure', recommendedAction: null } }
          : { status: 'success', errorInformation: null },
        provisioningSteps: [
          { name: 'EntryImport', provisioningStepType: 'import', status: 'success', description: `Received User '${user.userPrincipalName}' from Azure Active Directory`, details: {} },
          { name: 'EntryExport', provisioningStepType: 'export', status: failed ? 'failure' : 'success', description: `${action} User '${user.userPrincipalName}' in ${app.displayName}`, details: {} },
        ],
        modifiedProperties: [{ displayName: 'displayName', oldValue: null, newValue: user.displayName }],
        servicePrincipal: { id: app.id, displayName: app.displayName },
        sourceSystem: { id: r.uuid(), displayName: 'Azure Active Directory', details: {} },
        targetSystem: { id: r.uuid(), displayName: app.displayName, details: { ApplicationId: app.appId, ServicePrincipalId: app.id, ServicePrincipalDisplayName: app.displayName } },
        initiatedBy: { id: '', displayName: 'Azure AD Provisioning Service', initiatorType: 'system' },
        sourceIdentity: { id: user.id, displayName: user.displayName, identityType: 'User', details: {} },
        targetIdentity: { id: r.uuid(), displayName: user.userPrincipalName, identityType: 'User', details: {} },
      });
      return [{ key: id, ticks: e.ticks, visibleTicks: e.visibleTicks, build }];
    },
  },
  riskDetections: {
    stream: (t) => t.riskDetections,
    spanTicks: riskSpan,
    versions(e, t, delays) {
      const r = new Rng(mix32(e.hash ^ 0x7a11));
      const id = r.uuid();
      const user = t.users[r.int(t.users.length)];
      const loc = r.pick(LOCATIONS);
      const type = r.pick(RISK_EVENT_TYPES);
      const level = r.pick(LEVELS);
      const requestId = r.uuid();
      const correlationId = r.uuid();
      const ip = `${loc.ipPrefix}${r.int(254) + 1}.${r.int(254) + 1}`;
      return riskVersions(e, delays, id, (step, steps) => ({
        '@odata.type': '#microsoft.graph.riskDetection',
        id, requestId, correlationId, riskEventType: type, riskState: step.state, riskLevel: level, riskDetail: step.detail,
        source: 'IdentityProtection', detectionTimingType: 'realtime', activity: 'signin', tokenIssuerType: 'AzureAD', ipAddress: ip,
        location: { city: loc.city, state: loc.state, countryOrRegion: loc.countryOrRegion, geoCoordinates: { altitude: null, latitude: loc.latitude, longitude: loc.longitude } },
        activityDateTime: ticksToIso(steps[0].ticks), detectedDateTime: ticksToIso(steps[0].ticks), lastUpdatedDateTime: ticksToIso(step.ticks),
        userId: user.id, userDisplayName: user.displayName, userPrincipalName: user.userPrincipalName.toLowerCase(),
        additionalInfo: JSON.stringify([{ Key: 'userAgent', Value: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' }]),
      }));
    },
  },
  servicePrincipalRiskDetections: {
    stream: (t) => t.spRiskDetections,
    spanTicks: riskSpan,
    versions(e, t, delays) {
      const r = new Rng(mix32(e.hash ^ 0x5b1d));
      const id = r.hex(52);
      const app = t.apps[r.int(t.apps.length)];
      const type = r.pick(SP_RISK_EVENT_TYPES);
      const level = r.pick(LEVELS);
      return riskVersions(e, delays, id, (step, steps) => ({
        '@odata.type': '#microsoft.graph.servicePrincipalRiskDetection',
        id, requestId: null, correlationId: null, riskEventType: type, riskState: step.state, riskLevel: level, riskDetail: step.detail,
        source: 'IdentityProtection', detectionTimingType: 'offline', activity: 'servicePrincipal', tokenIssuerType: 'AzureAD', ipAddress: null, location: null,
        activityDateTime: ticksToIso(steps[0].ticks), detectedDateTime: ticksToIso(steps[0].ticks), lastUpdatedDateTime: ticksToIso(step.ticks),
        servicePrincipalId: app.id, servicePrincipalDisplayName: app.displayName, appId: app.appId, keyIds: [],
        additionalInfo: JSON.stringify([{ Key: 'alertUrl', Value: null }]),
      }));
    },
  },
  riskyUsers: {
    stream: (t) => t.riskyUsers,
    spanTicks: riskSpan,
    versions(e, t, delays) {
      const r = new Rng(mix32(e.hash ^ 0x4e5));
      const user = t.users[r.int(t.users.length)];
      const level = r.pick(LEVELS);
      return riskVersions(e, delays, user.id, (step) => ({
        '@odata.type': '#microsoft.graph.riskyUser',
        id: user.id, isDeleted: false, isProcessing: false, riskLastUpdatedDateTime: ticksToIso(step.ticks),
        riskLevel: step.state === 'atRisk' || step.state === 'confirmedCompromised' ? level : 'none', riskState: step.state, riskDetail: step.detail,
        userDisplayName: user.displayName, userPrincipalName: user.userPrincipalName.toLowerCase(),
      }));
    },
  },
  riskyServicePrincipals: {
    stream: (t) => t.riskyServicePrincipals,
    spanTicks: riskSpan,
    versions(e, t, delays) {
      const r = new Rng(mix32(e.hash ^ 0x5e7));
      const app = t.apps[r.int(t.apps.length)];
      const level = r.pick(LEVELS);
      return riskVersions(e, delays, app.id, (step) => ({
        id: app.id, isEnabled: true, isProcessing: false, riskLastUpdatedDateTime: ticksToIso(step.ticks),
        riskLevel: step.state === 'atRisk' || step.state === 'confirmedCompromised' ? level : 'none', riskState: step.state, riskDetail: step.detail,
        displayName: app.displayName, appId: app.appId, servicePrincipalType: 'Application',
      }));
    },
  },
};

/** The time property each source is filtered on: the registry's. */
export const timeFieldOf = (source: VersionedSource): string => SOURCE_SPECS[source].timeField;

/**
 * The records a query sees now: per key the latest version visible at `nowTicks`, kept when its time is in
 * [fromTicks, toTicks]. Newest first, as Graph lists them (ties by key, so pages are stable).
 */
export function currentRecords(t: TenantRuntime, source: VersionedSource, fromTicks: number, toTicks: number, nowTicks: number, delays: RiskChangeDelays): Version[] {
  const model = MODELS[source];
  const latest = new Map<string, Version>();
  const from = fromTicks === -Infinity ? -Infinity : fromTicks - model.spanTicks(delays);
  for (const e of model.stream(t).scan(from, nowTicks, 'asc')) {
    for (const v of model.versions(e, t.model, delays)) {
      if (v.ticks > nowTicks || v.visibleTicks > nowTicks) continue;
      const seen = latest.get(v.key);
      if (!seen || v.ticks > seen.ticks) latest.set(v.key, v);
    }
  }
  return [...latest.values()]
    .filter((v) => v.ticks >= fromTicks && v.ticks <= toTicks)
    .sort((a, b) => b.ticks - a.ticks || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Ground truth: every version that has happened by now with its time in [from, to], visible yet or not. */
export function versionGroundTruth(t: TenantRuntime, source: VersionedSource, fromTicks: number, toTicks: number, nowTicks: number, delays: RiskChangeDelays): Version[] {
  const model = MODELS[source];
  const out: Version[] = [];
  for (const e of model.stream(t).scan(fromTicks - model.spanTicks(delays), Math.min(toTicks, nowTicks), 'asc')) {
    for (const v of model.versions(e, t.model, delays)) if (v.ticks >= fromTicks && v.ticks <= Math.min(toTicks, nowTicks)) out.push(v);
  }
  return out.sort((a, b) => a.ticks - b.ticks);
}
