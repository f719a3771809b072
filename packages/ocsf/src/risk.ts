import { isIP } from 'node:net';
import { CLASS_INFO, DETECTION_FINDING } from './classes';
import { cloud, envelope, joinText, metadata } from './common';
import { MappingError } from './errors';
import { asArray, asObject, bool, collectUnknownKeys, str, type Json } from './read';
import { observableAt, type OcsfObservable } from './observables';
import { parseGraphTime } from './time';
import type { EntraSource, MapContext, OcsfEvent } from './types';

/**
 * Identity Protection → Detection Finding (2004). Four Graph types, one shape: a finding whose `finding_info.uid` is
 * the Graph id (stable across changes) and whose `metadata.uid` is `id@<last update>` (one per version). Risk state
 * and level change after a record is first seen; every version is an event of its own, timed at its last update.
 *
 * Policy, stated once:
 * - activity: Close when the risk state ends the finding (remediated, dismissed, confirmed safe); Create for a
 *   detection's first version (last update = detection time); Update otherwise.
 * - status (OCSF finding status): atRisk New, confirmedCompromised In Progress (confirmed, to act on), dismissed
 *   Suppressed, remediated and confirmedSafe Resolved, none Resolved; Graph's word stays in `status_code`, the
 *   reason (`riskDetail`) in `status_detail`.
 * - severity and risk level follow `riskLevel`; `hidden` (Graph withholds it) and unknown words are Unknown/absent.
 * - `is_alert`: an open finding (atRisk, confirmedCompromised) is an alertable signal, a closing one is not (as OCSF's
 *   description of is_alert says of Create and Close); an unknown state says neither.
 * - observables name attributes as OCSF paths (`evidences.user.name`), without array indexes.
 */

interface RiskState {
  statusId: number;
  closes: boolean;
}

const RISK_STATES: Readonly<Record<string, RiskState>> = {
  atRisk: { statusId: 1, closes: false },
  confirmedCompromised: { statusId: 2, closes: false },
  dismissed: { statusId: 3, closes: true },
  remediated: { statusId: 4, closes: true },
  confirmedSafe: { statusId: 4, closes: true },
  none: { statusId: 4, closes: true },
};

const STATUS_CAPTIONS: Readonly<Record<number, string>> = {
  0: 'Unknown', 1: 'New', 2: 'In Progress', 3: 'Suppressed', 4: 'Resolved', 5: 'Archived', 6: 'Deleted', 99: 'Other',
};

/** riskLevel → [severity_id, risk_level_id]; severity captions come from the envelope. */
const RISK_LEVELS: Readonly<Record<string, readonly [number, number | undefined]>> = {
  none: [1, 0],
  low: [2, 1],
  medium: [3, 2],
  high: [4, 3],
};
const RISK_LEVEL_CAPTIONS: Readonly<Record<number, string>> = { 0: 'Info', 1: 'Low', 2: 'Medium', 3: 'High', 4: 'Critical', 99: 'Other' };

const CREATE = 1;
const UPDATE = 2;
const CLOSE = 3;

/** What differs between the four sources: the subject of the finding and the field names. */
interface Subject {
  source: EntraSource;
  /** "Risk detection", "Risky user", … : the finding's title when the record names no risk event type. */
  title: string;
  timeField: 'lastUpdatedDateTime' | 'riskLastUpdatedDateTime';
  /** Fields with a home in the event; the rest go to `unmapped`. */
  mapped: ReadonlySet<string>;
  subject(r: Json, e: OcsfEvent, observables: OcsfObservable[]): void;
}

const DETECTION_FIELDS = [
  'id', 'requestId', 'correlationId', 'riskEventType', 'riskState', 'riskLevel', 'riskDetail', 'source', 'activity',
  'detectionTimingType', 'ipAddress', 'location', 'activityDateTime', 'detectedDateTime', 'lastUpdatedDateTime',
  'additionalInfo', '@odata.type',
];

const userSubject = (uidKey: string, upnKey: string, nameKey: string) => (r: Json, e: OcsfEvent, observables: OcsfObservable[]): void => {
  const uid = str(r[uidKey]);
  const upn = str(r[upnKey]);
  const displayName = str(r[nameKey]);
  if (uid === undefined && upn === undefined) return;
  const user: Json = { type_id: 1, type: 'User' };
  if (uid !== undefined) user.uid = uid;
  if (upn !== undefined) user.name = upn;
  if (displayName !== undefined) user.display_name = displayName;
  const resource: Json = { type: 'User' };
  if (uid !== undefined) resource.uid = uid;
  if (upn ?? displayName) resource.name = upn ?? displayName;
  e.resources = [resource];
  evidence(e).user = user;
  if (upn !== undefined) observables.push(observableAt('evidences.user.name', upn));
  if (uid !== undefined) observables.push(observableAt('resources.uid', uid));
};

const servicePrincipalSubject = (uidKey: string, nameKey: string) => (r: Json, e: OcsfEvent, observables: OcsfObservable[]): void => {
  const uid = str(r[uidKey]);
  const name = str(r[nameKey]);
  const appId = str(r.appId);
  if (uid === undefined && name === undefined && appId === undefined) return;
  const resource: Json = { type: 'Service Principal' };
  if (uid !== undefined) resource.uid = uid;
  if (name !== undefined) resource.name = name;
  if (appId !== undefined) resource.uid_alt = appId;
  e.resources = [resource];
  // The service principal is the identity at risk: an account of type Service, as in sign-ins and audits.
  const user: Json = { type_id: 4, type: 'Service' };
  if (uid !== undefined) user.uid = uid;
  if (name !== undefined) user.name = name;
  else if (appId !== undefined) user.name = appId;
  evidence(e).user = user;
  if (uid !== undefined) observables.push(observableAt('resources.uid', uid));
};

const SUBJECTS: Readonly<Record<'riskDetections' | 'servicePrincipalRiskDetections' | 'riskyUsers' | 'riskyServicePrincipals', Subject>> = {
  riskDetections: {
    source: 'riskDetections',
    title: 'Risk detection',
    timeField: 'lastUpdatedDateTime',
    mapped: new Set([...DETECTION_FIELDS, 'userId', 'userPrincipalName', 'userDisplayName']),
    subject: userSubject('userId', 'userPrincipalName', 'userDisplayName'),
  },
  servicePrincipalRiskDetections: {
    source: 'servicePrincipalRiskDetections',
    title: 'Service principal risk detection',
    timeField: 'lastUpdatedDateTime',
    mapped: new Set([...DETECTION_FIELDS, 'servicePrincipalId', 'servicePrincipalDisplayName', 'appId']),
    subject: servicePrincipalSubject('servicePrincipalId', 'servicePrincipalDisplayName'),
  },
  riskyUsers: {
    source: 'riskyUsers',
    title: 'Risky user',
    timeField: 'riskLastUpdatedDateTime',
    mapped: new Set(['id', 'riskLastUpdatedDateTime', 'riskLevel', 'riskState', 'riskDetail', 'userDisplayName', 'userPrincipalName', '@odata.type']),
    subject: userSubject('id', 'userPrincipalName', 'userDisplayName'),
  },
  riskyServicePrincipals: {
    source: 'riskyServicePrincipals',
    title: 'Risky service principal',
    timeField: 'riskLastUpdatedDateTime',
    mapped: new Set(['id', 'riskLastUpdatedDateTime', 'riskLevel', 'riskState', 'riskDetail', 'displayName', 'appId', '@odata.type']),
    subject: servicePrincipalSubject('id', 'displayName'),
  },
};

function evidence(e: OcsfEvent): Json {
  const list = (e.evidences ??= [{}]) as Json[];
  return list[0]!;
}

function mapRisk(s: Subject, record: unknown, ctx: MapContext | undefined): OcsfEvent {
  const r = asObject(record);
  if (!r) throw new MappingError(`${s.source} record is not a JSON object`);
  const id = str(r.id);
  if (id === undefined) throw new MappingError(`${s.source} record has no id`, 'id');
  const updatedText = str(r[s.timeField]);
  const updated = parseGraphTime(updatedText);
  const detected = parseGraphTime(r.detectedDateTime);
  const happened = parseGraphTime(r.activityDateTime);
  // The version's own time; a record whose last-update time is unreadable (Microsoft's SP example ends in ")") is
  // still one finding, timed at its detection, unversioned, with the raw value kept in `unmapped`.
  const time = updated ?? detected ?? happened;
  if (time === undefined) {
    throw new MappingError(`${s.source} record ${id} has no usable time: ${s.timeField} is ${JSON.stringify(r[s.timeField] ?? null)}`, s.timeField);
  }
  const stateWord = str(r.riskState);
  const state = stateWord !== undefined ? RISK_STATES[stateWord] : undefined;
  const activity = state?.closes ? CLOSE : updated !== undefined && detected !== undefined && updated === detected ? CREATE : UPDATE;
  const levelWord = str(r.riskLevel);
  const level = levelWord !== undefined ? RISK_LEVELS[levelWord] : undefined;
  const e = envelope(DETECTION_FINDING, activity, CLASS_INFO[DETECTION_FINDING].activities[activity], level?.[0] ?? 0, time);
  // original_time is the source's text of the time the event carries (not the unreadable last update).
  const timeText = updated !== undefined ? updatedText : detected !== undefined ? str(r.detectedDateTime) : str(r.activityDateTime);
  e.metadata = metadata(s.source, ctx, updated !== undefined ? `${id}@${updatedText}` : id, str(r.correlationId), timeText, ['cloud']);
  const eventType = str(r.riskEventType);
  if (eventType !== undefined) e.metadata.event_code = eventType;
  const statusId = state?.statusId ?? (stateWord !== undefined ? 99 : 0);
  e.status_id = statusId;
  e.status = STATUS_CAPTIONS[statusId];
  if (state !== undefined) e.is_alert = !state.closes;
  if (stateWord !== undefined) e.status_code = stateWord;
  const detail = str(r.riskDetail);
  if (detail !== undefined) e.status_detail = detail;
  if (level?.[1] !== undefined) {
    e.risk_level_id = level[1];
    e.risk_level = RISK_LEVEL_CAPTIONS[level[1]];
  }
  const words = [s.title];
  if (eventType) words.push(' ', eventType);
  words.push(': ', stateWord ?? 'state unknown');
  if (levelWord) words.push(', risk ', levelWord);
  e.message = joinText(...words); // flat (see joinText)
  e.cloud = cloud(ctx);
  e.finding_info = findingInfo(s, r, id, eventType, detected ?? happened, updated, happened);
  const observables: OcsfObservable[] = [];
  s.subject(r, e, observables);
  let unmapped: Json | undefined;
  placeSource(r, e, observables, (key, value) => ((unmapped ??= {})[key] = value));
  if (updated === undefined && updatedText !== undefined) (unmapped ??= {})[s.timeField] = r[s.timeField];
  unmapped = collectUnknownKeys(r, s.mapped, unmapped);
  if (observables.length) e.observables = observables;
  if (unmapped) e.unmapped = unmapped;
  return e;
}

function findingInfo(s: Subject, r: Json, id: string, eventType: string | undefined, created: number | undefined, modified: number | undefined, firstSeen: number | undefined): Json {
  const info: Json = { uid: id, title: eventType ?? s.title };
  if (eventType !== undefined) info.types = [eventType];
  if (created !== undefined) info.created_time = created;
  if (modified !== undefined) info.modified_time = modified;
  if (firstSeen !== undefined) info.first_seen_time = firstSeen;
  const dataSource = str(r.source);
  if (dataSource !== undefined) info.data_sources = [dataSource];
  const timing = str(r.detectionTimingType);
  const activity = str(r.activity);
  if (timing !== undefined || activity !== undefined) info.desc = [activity && `activity ${activity}`, timing && `${timing} detection`].filter(Boolean).join(', ');
  // A sign-in's request id ties the detection to the sign-in event that triggered it (its metadata.uid there).
  const requestId = str(r.requestId);
  if (requestId !== undefined) info.related_events = [{ uid: requestId, type_uid: 300201, type: 'Authentication: Logon' }];
  return info;
}

/** The IP and place of the risky activity, as evidence; an address that is not one (Microsoft's example) stays raw. */
function placeSource(r: Json, e: OcsfEvent, observables: OcsfObservable[], keep: (key: string, value: unknown) => void): void {
  const ipText = str(r.ipAddress);
  const endpoint: Json = {};
  const validIp = ipText !== undefined && isIP(ipText) !== 0;
  if (validIp) {
    endpoint.ip = ipText;
    observables.push(observableAt('evidences.src_endpoint.ip', ipText));
  } else if (ipText !== undefined) {
    keep('ipAddress', r.ipAddress);
  }
  const loc = asObject(r.location);
  // An endpoint is known by its address: without a valid one the place has no endpoint to belong to.
  if (loc && !validIp) keep('location', loc);
  if (loc && validIp) {
    const location: Json = {};
    const city = str(loc.city);
    const region = str(loc.state);
    const country = str(loc.countryOrRegion);
    if (city !== undefined) location.city = city;
    if (region !== undefined) location.region = region;
    if (country !== undefined) location.country = country;
    const geo = asObject(loc.geoCoordinates);
    if (geo && typeof geo.latitude === 'number' && typeof geo.longitude === 'number') {
      location.lat = geo.latitude;
      location.long = geo.longitude;
    }
    if (Object.keys(location).length) endpoint.location = location;
  }
  const additional = parseAdditionalInfo(r.additionalInfo);
  if (additional.userAgent !== undefined) evidence(e).http_request = { user_agent: additional.userAgent };
  if (additional.rest !== undefined) keep('additionalInfo', additional.rest);
  if (Object.keys(endpoint).length) evidence(e).src_endpoint = endpoint;
  const keyIds = asArray(r.keyIds);
  if (keyIds?.length) keep('keyIds', keyIds);
  const enabled = bool(r.isEnabled);
  if (enabled !== undefined) keep('isEnabled', enabled);
}

/**
 * `additionalInfo` is a JSON string of {Key, Value} pairs. The user agent has a home (evidence http_request); the
 * rest is kept as parsed pairs, or as the raw string when it is not that shape.
 */
function parseAdditionalInfo(value: unknown): { userAgent?: string; rest?: unknown } {
  const text = str(value);
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { rest: text };
  }
  const pairs = asArray(parsed);
  if (!pairs) return { rest: parsed };
  let userAgent: string | undefined;
  const rest: Json = {};
  for (const p of pairs) {
    const pair = asObject(p);
    const key = pair ? str(pair.Key) : undefined;
    if (!pair || key === undefined) continue;
    if (key === 'userAgent' && str(pair.Value) !== undefined) userAgent = str(pair.Value);
    else if (pair.Value !== null && pair.Value !== undefined) rest[key] = pair.Value;
  }
  return { userAgent, rest: Object.keys(rest).length ? rest : undefined };
}

export const mapRiskDetection = (record: unknown, ctx: MapContext | undefined): OcsfEvent => mapRisk(SUBJECTS.riskDetections, record, ctx);
export const mapServicePrincipalRiskDetection = (record: unknown, ctx: MapContext | undefined): OcsfEvent =>
  mapRisk(SUBJECTS.servicePrincipalRiskDetections, record, ctx);
export const mapRiskyUser = (record: unknown, ctx: MapContext | undefined): OcsfEvent => mapRisk(SUBJECTS.riskyUsers, record, ctx);
export const mapRiskyServicePrincipal = (record: unknown, ctx: MapContext | undefined): OcsfEvent => mapRisk(SUBJECTS.riskyServicePrincipals, record, ctx);
