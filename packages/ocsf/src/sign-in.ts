import { AUTHENTICATION, CLASS_INFO } from './classes';
import { cloud, envelope, joinText, metadata, SERVICE_USER_TYPE, USER_TYPE } from './common';
import { MappingError } from './errors';
import { asArray, asObject, bool, collectUnknownKeys, finiteNumber, ipAddress, str, type Json } from './read';
import { parseGraphTime } from './time';
import type {
  MapContext, OcsfActor, OcsfAuthFactor, OcsfAuthorization, OcsfDevice, OcsfEvent, OcsfLocation, OcsfNetworkEndpoint, OcsfOs,
  OcsfPolicy, OcsfSession, OcsfUser,
} from './types';

/** signIn fields with an OCSF home; the rest (Graph's own words included: userType, signInEventTypes, …) go to `unmapped`. */
const MAPPED_KEYS = new Set([
  'id', 'createdDateTime', 'userDisplayName', 'userPrincipalName', 'userId', 'appId', 'appDisplayName',
  'ipAddress', 'correlationId', 'resourceDisplayName', 'resourceId', 'status', 'location', 'isInteractive',
  'userAgent', 'authenticationRequirement', 'authenticationProtocol', 'riskLevelDuringSignIn', 'riskDetail',
  'appliedConditionalAccessPolicies', 'servicePrincipalId', 'servicePrincipalName', 'sessionId', 'deviceDetail',
]);

/** deviceDetail fields `device` holds; the rest (browser, trustType, …) stay in unmapped.deviceDetail. */
const DEVICE_KEYS = new Set(['deviceId', 'displayName', 'operatingSystem', 'isCompliant', 'isManaged']);

const LOGON = 1;

/**
 * A sign-in → Authentication (3002) Logon: the identity that signed in (user, and as the actor with the client
 * app), the app (service), the resource (dst), where from (src, device), how (factors, MFA, protocol, logon type),
 * and the security controls (Conditional Access, risk).
 */
export function mapSignIn(record: unknown, ctx: MapContext | undefined): OcsfEvent {
  const r = asObject(record);
  if (!r) throw new MappingError('signIn record is not a JSON object');
  const timeText = r.createdDateTime;
  const time = parseGraphTime(timeText);
  if (time === undefined) throw new MappingError('createdDateTime is missing or not an RFC 3339 date-time', 'createdDateTime');
  const kind = signInKind(r);
  const user = signInUser(r, kind);
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
    // A failure's reason; a success's failureReason is a placeholder ("Other."), its additionalDetails the detail.
    const detail = status && (succeeded ? str(status.additionalDetails) : str(status.failureReason));
    if (detail !== undefined) e.status_detail = detail;
  }
  const appName = str(r.appDisplayName);
  e.message = appName !== undefined ? joinText('Sign-in to ', appName) : 'Sign-in';
  e.cloud = cloud(ctx);
  // The identity again, without its display name: the actor says who (a user, or a service) and through which app.
  const actor: OcsfActor = { user: actorOf(user) };
  if (appName !== undefined) actor.app_name = appName;
  const appId = str(r.appId);
  if (appId !== undefined) actor.app_uid = appId;
  e.actor = actor;
  const src = sourceEndpoint(r);
  if (src) e.src_endpoint = src;
  const userAgent = str(r.userAgent);
  if (userAgent !== undefined) e.http_request = { user_agent: userAgent };
  e.user = user;
  if (service) e.service = service;
  if (dst) e.dst_endpoint = dst;
  const device = deviceOf(r, src?.ip);
  if (device) {
    e.device = device;
    profiles.push('host');
  }

  const used = usedFactors(r);
  if (used.length) e.auth_factors = authFactors(used);
  const mfa = isMfa(r, used, succeeded);
  if (mfa !== undefined) e.is_mfa = mfa;
  e.is_remote = true; // a sign-in to Entra ID always arrives over the network
  e.logon_type_id = kind === 'interactiveUser' ? 2 : kind === undefined ? 0 : 99;
  e.logon_type = LOGON_TYPES[kind ?? 'unknown'];
  const protocol = str(r.authenticationProtocol);
  if (protocol !== undefined && protocol !== 'none') {
    const id = AUTH_PROTOCOLS.get(protocol) ?? AUTH_PROTOCOLS.get(protocol.toLowerCase()); // exact hit: no lower-casing
    e.auth_protocol_id = id ?? 99;
    e.auth_protocol = id !== undefined ? AUTH_PROTOCOL_CAPTIONS[id] : protocol;
  }
  const session = sessionOf(r, mfa);
  if (session) e.session = session;

  // security_control profile: the conditional-access outcome and the sign-in risk.
  let securityControl = false;
  const ca = CA_OUTCOMES.get(str(r.conditionalAccessStatus) ?? '');
  if (ca) {
    e.action_id = ca.actionId;
    e.action = ca.action;
    e.disposition_id = ca.dispositionId;
    e.disposition = ca.disposition;
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
  if (securityControl) {
    if (e.action_id === undefined) {
      // Policies evaluated or risk assessed, but Graph names no outcome we know (unknownFutureValue): say so.
      e.action_id = 0;
      e.action = 'Unknown';
      e.disposition_id = 0;
      e.disposition = 'Unknown';
    }
    // Identity Protection flagging the sign-in (at risk, or confirmed compromised) is what makes it an alert.
    const state = str(r.riskState);
    e.is_alert = state === 'atRisk' || state === 'confirmedCompromised';
    profiles.push('security_control');
  }

  let unmapped: Json | undefined;
  if (status && str(status.additionalDetails) !== undefined && !succeeded) {
    (unmapped ??= {}).statusAdditionalDetails = status.additionalDetails;
  }
  if (str(r.riskDetail) !== undefined && e.risk_details === undefined) (unmapped ??= {}).riskDetail = r.riskDetail;
  const ip = str(r.ipAddress);
  if (ip !== undefined && src?.ip === undefined) (unmapped ??= {}).ipAddress = ip;
  const deviceDetail = asObject(r.deviceDetail);
  if (deviceDetail) {
    const rest = collectUnknownKeys(deviceDetail, DEVICE_KEYS, undefined);
    if (rest) (unmapped ??= {}).deviceDetail = rest;
  }
  unmapped = collectUnknownKeys(r, MAPPED_KEYS, unmapped);
  if (unmapped) e.unmapped = unmapped;
  return e;
}

/** Graph's sign-in event types; the first one a record names decides the logon type. */
type SignInKind = 'interactiveUser' | 'nonInteractiveUser' | 'servicePrincipal' | 'managedIdentity';

/** logon_type: OCSF's caption for Interactive (2) and Unknown (0); Graph's own term for the rest (Other, 99). */
const LOGON_TYPES: Record<SignInKind | 'unknown', string> = {
  interactiveUser: 'Interactive',
  nonInteractiveUser: 'Non-interactive user',
  servicePrincipal: 'Service principal',
  managedIdentity: 'Managed identity',
  unknown: 'Unknown',
};

/** `signInEventTypes` (beta), else `isInteractive`, else a service-principal sign-in that names no user. */
function signInKind(r: Json): SignInKind | undefined {
  const types = asArray(r.signInEventTypes);
  if (types) {
    for (const t of types) {
      if (t === 'interactiveUser' || t === 'nonInteractiveUser' || t === 'servicePrincipal' || t === 'managedIdentity') return t;
    }
  }
  const interactive = bool(r.isInteractive);
  if (interactive !== undefined) return interactive ? 'interactiveUser' : 'nonInteractiveUser';
  if (str(r.userId) === undefined && str(r.userPrincipalName) === undefined && str(r.servicePrincipalId) !== undefined) {
    return asObject(r.managedServiceIdentity) ? 'managedIdentity' : 'servicePrincipal';
  }
  return undefined;
}

function signInUser(r: Json, kind: SignInKind | undefined): OcsfUser | undefined {
  const asService = kind === 'servicePrincipal' || kind === 'managedIdentity';
  return (asService ? servicePrincipalOf(r) ?? personOf(r) : personOf(r) ?? servicePrincipalOf(r));
}

function actorOf(user: OcsfUser): OcsfUser {
  const a: OcsfUser = {};
  if (user.uid !== undefined) a.uid = user.uid;
  if (user.name !== undefined) a.name = user.name;
  a.type_id = user.type_id;
  a.type = user.type;
  return a;
}

function personOf(r: Json): OcsfUser | undefined {
  const uid = str(r.userId);
  const name = str(r.userPrincipalName);
  if (uid === undefined && name === undefined) return undefined;
  const user: OcsfUser = {};
  if (uid !== undefined) user.uid = uid;
  if (name !== undefined) user.name = name;
  const full = str(r.userDisplayName);
  if (full !== undefined) user.full_name = full;
  // Member and Guest are both OCSF's "User"; Graph's userType stays in unmapped.userType.
  user.type_id = USER_TYPE.id;
  user.type = USER_TYPE.caption;
  return user;
}

/** Service-principal and managed-identity sign-ins: the service principal is the identity that signed in. */
function servicePrincipalOf(r: Json): OcsfUser | undefined {
  const spId = str(r.servicePrincipalId);
  const spName = str(r.servicePrincipalName);
  if (spId === undefined && spName === undefined) return undefined;
  const sp: OcsfUser = {};
  if (spId !== undefined) sp.uid = spId;
  if (spName !== undefined) sp.name = spName;
  sp.type_id = SERVICE_USER_TYPE.id;
  sp.type = SERVICE_USER_TYPE.caption;
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

/**
 * Where the sign-in came from: the IP and its geo-location. The device is `device` (host profile); its id and name
 * stand in for the endpoint only when Graph gives no IP, since a network endpoint needs an identifier.
 */
function sourceEndpoint(r: Json): OcsfNetworkEndpoint | undefined {
  const src: OcsfNetworkEndpoint = {};
  const ip = ipAddress(r.ipAddress);
  if (ip !== undefined) {
    src.ip = ip;
  } else {
    const device = asObject(r.deviceDetail);
    const deviceId = device && str(device.deviceId);
    const deviceName = device && str(device.displayName);
    if (deviceId !== undefined) src.uid = deviceId;
    if (deviceName !== undefined) src.name = deviceName;
    if (deviceId === undefined && deviceName === undefined) return undefined;
  }
  const location = locationOf(r.location);
  if (location) src.location = location;
  return src;
}

/**
 * `deviceDetail` → device: id, name, the address it signed in from, operating system, compliance and management.
 * Graph gives no device type. A device needs an identifier (id, name or IP); without one there is no device.
 */
function deviceOf(r: Json, ip: string | undefined): OcsfDevice | undefined {
  const d = asObject(r.deviceDetail);
  if (!d) return undefined;
  const uid = str(d.deviceId);
  const name = str(d.displayName);
  if (uid === undefined && name === undefined && ip === undefined) return undefined;
  const device: OcsfDevice = { type_id: 0, type: 'Unknown' };
  if (ip !== undefined) device.ip = ip;
  const os = osOf(str(d.operatingSystem));
  const compliant = bool(d.isCompliant);
  const managed = bool(d.isManaged);
  if (uid !== undefined) device.uid = uid;
  if (name !== undefined) device.name = name;
  if (os) device.os = os;
  if (compliant !== undefined) device.is_compliant = compliant;
  if (managed !== undefined) device.is_managed = managed;
  return device;
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

/**
 * The words Graph uses for an authentication method, in each place it records them (authenticationDetails,
 * mfaDetail.authMethod, authenticationMethodsUsed), lower-cased → OCSF auth_factor.factor_type_id. `strong` marks
 * the methods Entra itself counts as multifactor on their own (passkeys, Windows Hello, certificate-based MFA).
 */
const FACTOR_TYPES = new Map<string, { id: number; strong?: true }>([
  ['password', { id: 11 }], ['password in the cloud', { id: 11 }],
  ['text message', { id: 1 }], ['sms', { id: 1 }], ['onewaysms', { id: 1 }], ['twowaysms', { id: 1 }],
  ['phone call', { id: 3 }], ['voice call', { id: 3 }], ['voice', { id: 3 }], ['twowayvoicemobile', { id: 3 }],
  ['twowayvoiceoffice', { id: 3 }], ['twowayvoicealternatemobile', { id: 3 }],
  ['mobile app notification', { id: 5 }], ['microsoft authenticator app', { id: 5 }], ['authenticator app', { id: 5 }],
  ['phoneappnotification', { id: 5 }], ['passwordless phone sign-in', { id: 5, strong: true }],
  ['oath verification code', { id: 7 }], ['mobile app verification code', { id: 7 }], ['phoneappotp', { id: 7 }],
  ['software oath token', { id: 7 }], ['oath software token', { id: 7 }], ['temporary access pass', { id: 7 }],
  ['oath hardware token', { id: 6 }], ['hardware oath token', { id: 6 }],
  ['fido2 security key', { id: 10, strong: true }], ['fido2', { id: 10, strong: true }], ['passkey', { id: 10, strong: true }],
  ['windows hello for business', { id: 4, strong: true }], ['email', { id: 8 }], ['email otp', { id: 8 }],
]);

/** Steps that say an earlier sign-in's claim satisfied the requirement: no factor used in this one. */
const NO_FACTOR = new Set(['previously satisfied', 'satisfied by token', '']);

const FACTOR_CAPTIONS = ['Unknown', 'SMS', 'Security Question', 'Phone Call', 'Biometric', 'Push Notification',
  'Hardware Token', 'OTP', 'Email', 'U2F', 'WebAuthn', 'Password'];

interface UsedFactor { word: string; typeId: number; strong: boolean; succeeded?: boolean }

/** Every method the sign-in used, from every place Graph records one; distinct by Graph's word. */
function usedFactors(r: Json): UsedFactor[] {
  const out: UsedFactor[] = [];
  const details = asArray(r.authenticationDetails);
  if (details) {
    for (const d of details) {
      const step = asObject(d);
      addFactor(out, step?.authenticationMethod, bool(step?.succeeded));
    }
  }
  addFactor(out, asObject(r.mfaDetail)?.authMethod, true); // v1.0: present only once MFA was performed
  const used = asArray(r.authenticationMethodsUsed);
  if (used) for (const m of used) addFactor(out, m, undefined);
  return out;
}

function addFactor(out: UsedFactor[], word: unknown, succeeded: boolean | undefined): void {
  const w = str(word);
  if (w === undefined) return;
  const key = w.toLowerCase();
  if (NO_FACTOR.has(key)) return;
  for (const known of out) {
    if (known.word.toLowerCase() !== key) continue;
    if (succeeded === true) known.succeeded = true;
    return;
  }
  const t = FACTOR_TYPES.get(key);
  out.push({ word: w, typeId: t?.id ?? 99, strong: t?.strong === true, succeeded });
}

/** The factors used → auth_factors: the OCSF caption as factor_type, Graph's own word where OCSF has none (99). */
function authFactors(used: UsedFactor[]): OcsfAuthFactor[] {
  return used.map((f) => ({ factor_type_id: f.typeId, factor_type: f.typeId === 99 ? f.word : FACTOR_CAPTIONS[f.typeId] }));
}

/**
 * Whether MFA was used, from the strongest evidence Graph gives: an MFA method recorded (mfaDetail), two kinds of
 * factor or one multifactor method on their own that succeeded, a step whose requirement was MFA, or a successful
 * sign-in whose requirement was multifactor. A single-factor requirement with none of those is false; no
 * evidence either way leaves is_mfa unset.
 */
function isMfa(r: Json, factors: UsedFactor[], succeeded: boolean): boolean | undefined {
  if (str(asObject(r.mfaDetail)?.authMethod) !== undefined) return true;
  // Of the factors that did not fail: one multifactor method, or two kinds of factor.
  let firstType: number | undefined;
  for (const f of factors) {
    if (f.succeeded === false) continue;
    if (f.strong) return true;
    if (firstType === undefined) firstType = f.typeId;
    else if (f.typeId !== firstType) return true;
  }
  const details = asArray(r.authenticationDetails);
  if (details) {
    for (const d of details) {
      const step = asObject(d);
      const requirement = str(step?.authenticationStepRequirement)?.toLowerCase();
      if (step && step.succeeded === true && requirement !== undefined && (requirement.includes('multifactor') || requirement.includes('multi-factor') || requirement.includes('mfa'))) return true;
    }
  }
  const requirement = str(r.authenticationRequirement);
  if (requirement === 'multiFactorAuthentication') return succeeded ? true : undefined;
  if (requirement === 'singleFactorAuthentication') return false;
  return factors.length ? false : undefined;
}

/** The session: Graph's sessionId (beta), the token issuer, and whether it was established with MFA. */
function sessionOf(r: Json, mfa: boolean | undefined): OcsfSession | undefined {
  const uid = str(r.sessionId);
  const issuer = str(r.tokenIssuerName) ?? str(r.tokenIssuerType);
  if (uid === undefined && issuer === undefined) return undefined;
  const session: OcsfSession = {};
  if (uid !== undefined) session.uid = uid;
  if (issuer !== undefined) session.issuer = issuer;
  if (mfa !== undefined) session.is_mfa = mfa;
  return session;
}

/**
 * conditionalAccessStatus → the control's action and its outcome: success Allowed, failure Denied (Blocked),
 * notApplied Observed with No Action (policies were evaluated, none applied). Graph's word stays in unmapped.
 */
const CA_OUTCOMES = new Map([
  ['success', { actionId: 1, action: 'Allowed', dispositionId: 1, disposition: 'Allowed' }],
  ['failure', { actionId: 2, action: 'Denied', dispositionId: 2, disposition: 'Blocked' }],
  ['notApplied', { actionId: 3, action: 'Observed', dispositionId: 16, disposition: 'No Action' }],
]);

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
    const grant = asArray(p.enforcedGrantControls);
    const session = asArray(p.enforcedSessionControls);
    if (grant?.length || session?.length) policy.data = { enforcedGrantControls: grant ?? [], enforcedSessionControls: session ?? [] };
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
