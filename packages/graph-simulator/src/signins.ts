/** Builds signIn records (Graph v1.0 shape) from stream events. */
import { positionBits, type StreamEvent } from './event-stream';
import { DEVICE_OS, LOCATIONS, SIGN_IN_APPS } from './names';
import { mix32, Rng, uuidFromTwo } from './prng';
import type { TenantModel } from './tenant-model';
import { ticksToIso } from './time';

const FAILURES: readonly { errorCode: number; failureReason: string; additionalDetails: string | null }[] = [
  { errorCode: 50126, failureReason: 'Error validating credentials due to invalid username or password.', additionalDetails: 'The user didn\'t enter the right credentials.' },
  { errorCode: 50074, failureReason: 'Strong Authentication is required.', additionalDetails: 'The user must complete multifactor authentication.' },
  { errorCode: 50140, failureReason: 'This error occurred due to \'Keep me signed in\' interrupt when the user was signing in.', additionalDetails: null },
  { errorCode: 53003, failureReason: 'Access has been blocked by Conditional Access policies.', additionalDetails: null },
  { errorCode: 50053, failureReason: 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.', additionalDetails: null },
];

type Json = Record<string, unknown>;

/** Fields a sign-in can be filtered on without building the whole record. */
export function signInKeys(e: StreamEvent, tenant: TenantModel): { userIndex: number; appIndex: number } {
  const r = new Rng(mix32(e.hash ^ 0x27d4eb2f));
  return { userIndex: r.int(tenant.users.length), appIndex: r.int(SIGN_IN_APPS.length) };
}

export function buildSignIn(e: StreamEvent, tenant: TenantModel): Json {
  const { userIndex, appIndex } = signInKeys(e, tenant);
  const r = new Rng(mix32(e.hash ^ 0x165667b1));
  r.uuid(); // the draw the id once was: the fields after it keep their values
  const id = signInIdOf(e);
  const user = tenant.users[userIndex];
  const app = SIGN_IN_APPS[appIndex];
  const loc = r.chance(0.85) ? LOCATIONS[userIndex % LOCATIONS.length] : r.pick(LOCATIONS);
  const failure = r.chance(0.12) ? r.pick(FAILURES) : null;
  const device = DEVICE_OS[(userIndex + (r.chance(0.3) ? 1 : 0)) % DEVICE_OS.length];
  const managed = r.chance(0.6);
  const caApplied = r.chance(0.7);
  const risky = r.chance(0.02);
  return {
    id,
    createdDateTime: ticksToIso(e.ticks),
    userDisplayName: user.displayName,
    userPrincipalName: user.userPrincipalName.toLowerCase(),
    userId: user.id,
    appId: app.appId,
    appDisplayName: app.displayName,
    ipAddress: `${loc.ipPrefix}${r.int(254) + 1}.${r.int(254) + 1}`,
    clientAppUsed: app.clientAppUsed,
    correlationId: r.uuid(),
    conditionalAccessStatus: failure?.errorCode === 53003 ? 'failure' : caApplied ? 'success' : 'notApplied',
    isInteractive: r.chance(0.7),
    riskDetail: 'none',
    riskLevelAggregated: risky ? 'medium' : 'none',
    riskLevelDuringSignIn: risky ? 'medium' : 'none',
    riskState: risky ? 'atRisk' : 'none',
    riskEventTypes: risky ? ['unfamiliarFeatures'] : [],
    resourceDisplayName: app.resourceDisplayName,
    resourceId: app.resourceId,
    status: failure ?? { errorCode: 0, failureReason: null, additionalDetails: null },
    deviceDetail: {
      deviceId: managed ? tenant.devices[userIndex % tenant.devices.length].deviceId : '',
      displayName: managed ? tenant.devices[userIndex % tenant.devices.length].displayName : null,
      operatingSystem: device.operatingSystem,
      browser: device.browser,
      isCompliant: managed ? true : null,
      isManaged: managed ? true : null,
      trustType: managed ? 'Azure AD joined' : null,
    },
    location: {
      city: loc.city,
      state: loc.state,
      countryOrRegion: loc.countryOrRegion,
      geoCoordinates: { altitude: null, latitude: loc.latitude, longitude: loc.longitude },
    },
    appliedConditionalAccessPolicies: tenant.policies.slice(0, 2).map((p, i) => ({
      id: p.id,
      displayName: p.displayName,
      enforcedGrantControls: caApplied && i === 0 ? ['Mfa'] : [],
      enforcedSessionControls: [],
      result: failure?.errorCode === 53003 && i === 0 ? 'failure' : caApplied && i === 0 ? 'success' : 'notEnabled',
    })),
  };
}

/** The record id alone, for ground truth without building records. */
export function signInIdOf(e: StreamEvent): string {
  // The event's position is mixed in: content hashes can repeat, ids must not.
  return uuidFromTwo(mix32(e.hash ^ 0x165667b1), positionBits(e));
}
