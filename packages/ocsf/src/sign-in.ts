import { AUTHENTICATION, CLASS_INFO } from './classes';
import { cloud, envelope, metadata, SERVICE_PRINCIPAL_USER_TYPE_ID } from './common';
import { MappingError } from './errors';
import { asArray, asObject, bool, collectUnknownKeys, finiteNumber, ipAddress, str, type Json } from './read';
import { parseGraphTime } from './time';
import type {
  MapContext, OcsfAuthFactor, OcsfAuthorization, OcsfEvent, OcsfLocation, OcsfNetworkEndpoint, OcsfOs, OcsfPolicy, OcsfUser,
} from './types';

/** signIn fields with an OCSF home; the rest go to `unmapped`. */
const MAPPED_KEYS = new Set([
  'id', 'createdDateTime', 'userDisplayName', 'userPrincipalName', 'userId', 'userType', 'appId', 'appDisplayName',
  'ipAddress', 'correlationId', 'resourceDisplayName', 'resourceId', 'status', 'location', 'isInteractive',
  'userAgent', 'authenticationRequirement', 'authenticationProtocol', 'riskLevelDuringSignIn', 'riskDetail',
  'appliedConditionalAccessPolicies', 'conditionalAccessStatus', 'servicePrincipalId', 'servicePrincipalName',
]);

const LOGON = 1;

/** A sign-in → Authentication (3002) Logon: the user, the app (service), the resource (dst), where from (src). */
export function mapSignIn(record: unknown, ctx: MapContext | undefined): OcsfEvent {
  const r = asObject(record);
  if (!r) throw new MappingError('signIn record is not a JSON object');
  const timeText = r.createdDateTime;
  const time = parseGraphTime(timeText);
  if (time === undefined) throw new MappingError('createdDateTime is missing or not an RFC 3339 date-time', 'createdDateTime');
  const user = signInUser(r);
  if (!user) throw new MappingError('sign-in names no user or service principal (userId, userPrincipalName, servicePrincipalId)', 'userId');
  const service = idName(r.appId, r.appDisplayName);
  const dst = resourceEndpoint(r);
  if (!service && !dst) throw new MappingError('sign-in names neither the application (appId) nor the resource (resourceId)', 'appId');

  const status = asObject(r.status);
  const errorCode = status ? finiteNumber(status.errorCode) ?? str(status.errorCode) : undefined;
  const succeeded = errorCode === 0 || errorCode === '0';
  const risk = riskOf(r.riskLevelDuringSignIn);
  const severityId = !succeeded && risk ? Math.max(2, risk.severityId) : risk?.severityId ?? (succeeded ? 1 : 2);
  const e = envelope(AUTHENTICATION, LOGON, CLASS_INFO[AUTHENTICATION].activities[LOGON], severityId, time);
  const profiles = ['cloud'];
  e.metadata = metadata('signIns', ctx, str(r.id), str(r.correlationId), str(timeText), profiles);
  if (errorCode === undefined) {
    e.status_id = 0;
    e.status = 'Unknown';
  } else {
    e.status_id = succeeded ? 1 : 2;
    e.status = succeeded ? 'Success' : 'Failure';
    e.status_code = String(errorCode);
    const reason = status && str(status.failureReason);
    if (!succeeded && reason !== undefined) e.status_detail = reason;
  }
  const appName = str(r.appDisplayName);
  e.message = appName !== undefined ? `Sign-in to ${appName}` : 'Sign-in';
  e.cloud = cloud(ctx);
  const src = sourceEndpoint(r);
  if (src) e.src_endpoint = src;
  const userAgent = str(r.userAgent);
  if (userAgent !== undefined) e.http_request = { user_agent: userAgent };
  e.user = user;
  if (service) e.service = service;
  if (dst) e.dst_endpoint = dst;

  const requirement = str(r.authenticationRequirement);
  if (requirement !== undefined) e.is_mfa = requirement === 'multiFactorAuthentication';
  const factors = authFactors(r);
  if (factors) e.auth_factors = factors;
  const interactive = bool(r.isInteractive);
  if (interactive === true) {
    e.logon_type_id = 2;
    e.logon_type = 'Interactive';
  } else if (interactive === false) {
    e.logon_type_id = 99;
    e.logon_type = 'Non-interactive';
  }
  const protocol = str(r.authenticationProtocol);
  if (protocol !== undefined && protocol !== 'none') {
    const id = AUTH_PROTOCOLS.get(protocol) ?? AUTH_PROTOCOLS.get(protocol.toLowerCase()); // exact hit: no lower-casing
    e.auth_protocol_id = id ?? 99;
    e.auth_protocol = id !== undefined ? AUTH_PROTOCOL_CAPTIONS[id] : protocol;
  }

  // security_control profile: the conditional-access outcome and the sign-in risk.
  let securityControl = false;
  const ca = str(r.conditionalAccessStatus);
  if (ca === 'success') {
    e.action_id = 1;
    e.action = 'Allowed';
    e.disposition_id = 1;
    e.disposition = 'Allowed';
    securityControl = true;
  } else if (ca === 'failure') {
    e.action_id = 2;
    e.action = 'Denied';
    e.disposition_id = 2;
    e.disposition = 'Blocked';
    securityControl = true;
  }
  const authorizations = conditionalAccess(r.appliedConditionalAccessPolicies);
  if (authorizations) {
    e.authorizations = authorizations.all;
    if (authorizations.deciding) e.policy = authorizations.deciding;
    securityControl = true;
  }
  if (risk) {
    e.risk_level_id = risk.levelId;
    e.risk_level = risk.level;
    const detail = str(r.riskDetail);
    if (detail !== undefined && detail !== 'none') e.risk_details = detail;
    securityControl = true;
  }
  if (securityControl) profiles.push('security_control');

  let unmapped: Json | undefined;
  if (status && str(status.additionalDetails) !== undefined) (unmapped ??= {}).statusAdditionalDetails = status.additionalDetails;
  if (ca !== undefined) (unmapped ??= {}).conditionalAccessStatus = ca;
  if (str(r.riskDetail) !== undefined && e.risk_details === undefined) (unmapped ??= {}).riskDetail = r.riskDetail;
  const ip = str(r.ipAddress);
  if (ip !== undefined && src?.ip === undefined) (unmapped ??= {}).ipAddress = ip;
  unmapped = collectUnknownKeys(r, MAPPED_KEYS, unmapped);
  if (unmapped) e.unmapped = unmapped;
  return e;
}

function signInUser(r: Json): OcsfUser | undefined {
  const uid = str(r.userId);
  const name = str(r.userPrincipalName);
  if (uid !== undefined || name !== undefined) {
    const user: OcsfUser = {};
    if (uid !== undefined) user.uid = uid;
    if (name !== undefined) user.name = name;
    const full = str(r.userDisplayName);
    if (full !== undefined) user.full_name = full;
    user.type_id = 1;
    user.type = str(r.userType) ?? 'User';
    return user;
  }
  // Service-principal sign-ins have no user: the service principal is the identity that signed in.
  const spId = str(r.servicePrincipalId);
  const spName = str(r.servicePrincipalName);
  if (spId === undefined && spName === undefined) return undefined;
  const sp: OcsfUser = {};
  if (spId !== undefined) sp.uid = spId;
  if (spName !== undefined) sp.name = spName;
  sp.type_id = SERVICE_PRINCIPAL_USER_TYPE_ID;
  sp.type = 'ServicePrincipal';
  return sp;
}

function idName(id: unknown, name: unknown): { uid?: string; name?: string } | undefined {
  const uid = str(id);
  const n = str(name);
  if (uid === undefined && n === undefined) return undefined;
  const out: { uid?: string; name?: string } = {};
  if (uid !== undefined) out.uid = uid;
  if (n !== undefined) out.name = n;
  return out;
}

function resourceEndpoint(r: Json): OcsfNetworkEndpoint | undefined {
  const uid = str(r.resourceId);
  const name = str(r.resourceDisplayName);
  if (uid === undefined && name === undefined) return undefined;
  const dst: OcsfNetworkEndpoint = {};
  if (uid !== undefined) dst.uid = uid;
  if (name !== undefined) dst.svc_name = name;
  return dst;
}

/** Where the sign-in came from: IP, geo-location and the device (id, name, operating system). */
function sourceEndpoint(r: Json): OcsfNetworkEndpoint | undefined {
  const src: OcsfNetworkEndpoint = {};
  const ip = ipAddress(r.ipAddress);
  const device = asObject(r.deviceDetail);
  const deviceId = device && str(device.deviceId);
  const deviceName = device && str(device.displayName);
  if (ip !== undefined) src.ip = ip;
  if (deviceId !== undefined) src.uid = deviceId;
  if (deviceName !== undefined) src.name = deviceName;
  const location = locationOf(r.location);
  if (location) src.location = location;
  const os = device && osOf(str(device.operatingSystem));
  if (os) src.os = os;
  // network_endpoint needs an identifier; a location or OS alone does not make one.
  return ip !== undefined || deviceId !== undefined || deviceName !== undefined ? src : undefined;
}

function locationOf(v: unknown): OcsfLocation | undefined {
  const l = asObject(v);
  if (!l) return undefined;
  const out: OcsfLocation = {};
  const city = str(l.city);
  const region = str(l.state);
  const country = str(l.countryOrRegion);
  if (city !== undefined) out.city = city;
  if (region !== undefined) out.region = region;
  if (country !== undefined) out.country = country;
  if (city === undefined && region === undefined && country === undefined) return undefined;
  const geo = asObject(l.geoCoordinates);
  const lat = geo && finiteNumber(geo.latitude);
  const long = geo && finiteNumber(geo.longitude);
  if (lat !== undefined && long !== undefined) {
    out.lat = lat;
    out.long = long;
  }
  return out;
}

const OS_PREFIXES: Array<[string, number]> = [
  ['windows mobile', 101], ['windows', 100], ['android', 201], ['ios', 301], ['ipados', 302], ['macos', 300],
  ['mac os', 300], ['linux', 200], ['ubuntu', 200],
];

/** OS name → type_id, remembered: a tenant's sign-ins repeat a handful of names ("Windows10", "Ios", …). */
const OS_TYPE_IDS = new Map<string, number>();

function osOf(name: string | undefined): OcsfOs | undefined {
  if (name === undefined) return undefined;
  let typeId = OS_TYPE_IDS.get(name);
  if (typeId === undefined) {
    const key = name.toLowerCase();
    typeId = 99;
    for (const [prefix, id] of OS_PREFIXES) {
      if (key.startsWith(prefix)) {
        typeId = id;
        break;
      }
    }
    if (OS_TYPE_IDS.size < 1000) OS_TYPE_IDS.set(name, typeId); // bounded: names come from untrusted records
  }
  return { name, type_id: typeId };
}

const AUTH_PROTOCOLS = new Map<string, number>([['oauth2', 6], ['saml20', 5], ['wsfederation', 99], ['ropc', 99]]);
const AUTH_PROTOCOL_CAPTIONS: Record<number, string> = { 5: 'SAML', 6: 'OAUTH 2.0' };

/** Authentication methods Entra reports → OCSF auth_factor.factor_type_id. */
const FACTOR_TYPES = new Map<string, number>([
  ['password', 11], ['text message', 1], ['sms', 1], ['phone call', 3], ['voice call', 3],
  ['mobile app notification', 5], ['microsoft authenticator app', 5], ['oath verification code', 7],
  ['mobile app verification code', 7], ['oath hardware token', 6], ['fido2 security key', 10], ['passkey', 10],
  ['windows hello for business', 4], ['email', 8], ['email otp', 8],
]);

/** The factors used: each distinct `authenticationDetails[].authenticationMethod` (beta) or `mfaDetail.authMethod`. */
function authFactors(r: Json): OcsfAuthFactor[] | undefined {
  const methods: string[] = [];
  const details = asArray(r.authenticationDetails);
  if (details) {
    for (const d of details) {
      const method = str(asObject(d)?.authenticationMethod);
      if (method !== undefined && method !== 'Previously satisfied' && !methods.includes(method)) methods.push(method);
    }
  }
  const mfa = str(asObject(r.mfaDetail)?.authMethod);
  if (mfa !== undefined && !methods.includes(mfa)) methods.push(mfa);
  if (!methods.length) return undefined;
  return methods.map((m) => ({ factor_type_id: FACTOR_TYPES.get(m.toLowerCase()) ?? 99, factor_type: m }));
}

/**
 * Every conditional-access policy evaluated → authorizations[] (decision = its result); the policy that decided
 * (first `failure`, else first `success`) → policy.
 */
function conditionalAccess(v: unknown): { all: OcsfAuthorization[]; deciding?: OcsfPolicy } | undefined {
  const list = asArray(v);
  if (!list || !list.length) return undefined;
  const all: OcsfAuthorization[] = [];
  let failed: OcsfPolicy | undefined;
  let passed: OcsfPolicy | undefined;
  for (const item of list) {
    const p = asObject(item);
    if (!p) continue;
    const uid = str(p.id);
    const name = str(p.displayName);
    const result = str(p.result);
    const policy: OcsfPolicy = {};
    if (uid !== undefined) policy.uid = uid;
    if (name !== undefined) policy.name = name;
    policy.type = 'Conditional Access';
    policy.is_applied = result === 'success' || result === 'failure';
    const auth: OcsfAuthorization = {};
    if (result !== undefined) auth.decision = result;
    auth.policy = policy;
    all.push(auth);
    if (result === 'failure') failed ??= policy;
    else if (result === 'success') passed ??= policy;
  }
  if (!all.length) return undefined;
  const deciding = failed ?? passed;
  return deciding ? { all, deciding } : { all };
}

const RISK_LEVELS = new Map<string, { levelId: number; level: string; severityId: number }>([
  ['low', { levelId: 1, level: 'Low', severityId: 2 }],
  ['medium', { levelId: 2, level: 'Medium', severityId: 3 }],
  ['high', { levelId: 3, level: 'High', severityId: 4 }],
]);

/** Sign-in risk; "none" and "hidden" (no P2 licence) carry no risk level. */
function riskOf(v: unknown): { levelId: number; level: string; severityId: number } | undefined {
  const s = str(v);
  // Keys are lower-case, so an exact hit is the same answer without lower-casing (Graph writes "none", "low", …).
  return s === undefined ? undefined : RISK_LEVELS.get(s) ?? RISK_LEVELS.get(s.toLowerCase());
}
