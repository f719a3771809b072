import { CLASS_INFO, DEVICE_INVENTORY, OTHER } from './classes';
import { cloud, envelope, joinText, metadata } from './common';
import { MappingError } from './errors';
import { asObject, bool, collectUnknownKeys, str, type Json } from './read';
import { observableAt, type OcsfObservable } from './observables';
import { parseGraphTime } from './time';
import type { MapContext, OcsfEvent } from './types';

const COLLECT = 2;

/** Graph's operatingSystem (lower case) → OCSF os.type_id and device.type_id (by what the OS runs on). */
const OPERATING_SYSTEMS: Readonly<Record<string, { os: number; device: number }>> = {
  windows: { os: 100, device: 0 },
  windowsphone: { os: 101, device: 5 },
  linux: { os: 200, device: 0 },
  android: { os: 201, device: 5 },
  androidforwork: { os: 201, device: 5 },
  macos: { os: 300, device: 0 },
  macmdm: { os: 300, device: 0 },
  ios: { os: 301, device: 5 },
  ipados: { os: 302, device: 4 },
};
const OS_CAPTIONS: Readonly<Record<number, string>> = {
  0: 'Unknown', 99: 'Other', 100: 'Windows', 101: 'Windows Mobile', 200: 'Linux', 201: 'Android', 300: 'macOS', 301: 'iOS', 302: 'iPadOS',
};
const DEVICE_CAPTIONS: Readonly<Record<number, string>> = { 0: 'Unknown', 4: 'Tablet', 5: 'Mobile' };

const MAPPED_KEYS = new Set([
  'id', 'deviceId', 'displayName', 'operatingSystem', 'operatingSystemVersion', 'createdDateTime', 'approximateLastSignInDateTime',
  'isCompliant', 'isManaged', 'manufacturer', 'model', 'deviceOwnership', 'trustType', 'registrationDateTime', '@removed',
]);

/**
 * A device from /devices/delta → Device Inventory Info (5001), like users: a live device is a Collect, a delta
 * `@removed` entry is the tombstone (activity Other, message saying it was deleted). `device.uid` is the directory
 * object id (the one key a removal carries); the device's own `deviceId` is `uid_alt`, the id sign-ins report.
 */
export function mapDevice(record: unknown, ctx: MapContext | undefined): OcsfEvent {
  const r = asObject(record);
  if (!r) throw new MappingError('device record is not a JSON object');
  const uid = str(r.id);
  if (uid === undefined) throw new MappingError('device record has no id', 'id');
  const time = ctx?.observedTime ?? Date.now();
  if (!Number.isSafeInteger(time)) throw new MappingError('MapContext.observedTime must be an integer of ms since the epoch');
  const removed = asObject(r['@removed']);
  const activity = removed ? OTHER : COLLECT;
  const e = envelope(DEVICE_INVENTORY, activity, CLASS_INFO[DEVICE_INVENTORY].activities[activity], 1, time);
  e.metadata = metadata('devices', ctx, uid, undefined, undefined, ['cloud']);
  e.status_id = 1;
  e.status = 'Success';
  e.timezone_offset = 0; // `time` is this process's UTC clock (as for users)
  const name = str(r.displayName);
  e.message = removed ? (str(removed.reason) === 'deleted' ? 'Device permanently deleted' : 'Device deleted (restorable)') : joinText('Device ', name ?? uid);
  e.cloud = cloud(ctx);

  const osWord = str(r.operatingSystem);
  const known = osWord !== undefined ? OPERATING_SYSTEMS[osWord.toLowerCase().replace(/\s+/g, '')] : undefined;
  const deviceType = known?.device ?? 0;
  const device: Json = { type_id: deviceType, type: DEVICE_CAPTIONS[deviceType], uid };
  const deviceId = str(r.deviceId);
  if (deviceId !== undefined) device.uid_alt = deviceId;
  if (name !== undefined) {
    device.name = name;
    device.hostname = name;
  }
  if (osWord !== undefined) {
    const osType = known?.os ?? 99;
    const os: Json = { name: osWord, type_id: osType, type: OS_CAPTIONS[osType] };
    const version = str(r.operatingSystemVersion);
    if (version !== undefined) os.version = version;
    device.os = os;
  }
  const created = parseGraphTime(r.createdDateTime) ?? parseGraphTime(r.registrationDateTime);
  if (created !== undefined) device.created_time = created;
  const lastSeen = parseGraphTime(r.approximateLastSignInDateTime);
  if (lastSeen !== undefined) device.last_seen_time = lastSeen;
  const compliant = bool(r.isCompliant);
  if (compliant !== undefined) device.is_compliant = compliant;
  const managed = bool(r.isManaged);
  if (managed !== undefined) device.is_managed = managed;
  const ownership = str(r.deviceOwnership);
  if (ownership !== undefined && ['personal', 'company'].includes(ownership.toLowerCase())) device.is_personal = ownership.toLowerCase() === 'personal';
  const vendor = str(r.manufacturer);
  if (vendor !== undefined) device.vendor_name = vendor;
  const model = str(r.model);
  if (model !== undefined) device.model = model;
  if (ctx?.tenantId) device.org = { uid: ctx.tenantId };
  e.device = device;
  const observables: OcsfObservable[] = [observableAt('device.uid', uid)];
  if (name !== undefined) observables.push(observableAt('device.hostname', name));
  e.observables = observables;

  let unmapped: Json | undefined;
  if (removed) (unmapped ??= {})['@removed'] = removed;
  const trust = str(r.trustType);
  if (trust !== undefined) (unmapped ??= {}).trustType = trust;
  if (ownership !== undefined && device.is_personal === undefined) (unmapped ??= {}).deviceOwnership = ownership;
  unmapped = collectUnknownKeys(r, MAPPED_KEYS, unmapped);
  if (unmapped) e.unmapped = unmapped;
  return e;
}
