/**
 * The directory of one simulated tenant: users, groups, applications and devices, all derived from
 * (seed, tenant id) so two runs with the same seed describe the same organisation.
 */
import { DEPARTMENTS, GIVEN_NAMES, GROUP_NAMES, JOB_TITLES, LANGUAGES, OFFICES, SURNAMES, CA_POLICIES } from './names';
import { hashInts, hashString, Rng } from './prng';
import type { SimulatedClient, SimulatedTenant } from './types';

export interface DirectoryUser {
  index: number;
  id: string;
  givenName: string;
  surname: string;
  displayName: string;
  userPrincipalName: string;
  mail: string;
  jobTitle: string;
  department: string;
  officeLocation: string;
  mobilePhone: string | null;
  businessPhones: string[];
  preferredLanguage: string;
  userType: 'Member' | 'Guest';
}

export interface DirectoryGroup {
  index: number;
  id: string;
  displayName: string;
  description: string;
  groupTypes: string[];
  mail: string | null;
  mailEnabled: boolean;
  securityEnabled: boolean;
  createdDateTime: string;
  /** Indexes of the users that are members before any simulated change. */
  initialMembers: number[];
}

export interface DirectoryApp {
  id: string;
  appId: string;
  displayName: string;
  createdDateTime: string;
}

/** A client app as the simulator holds it: its credentials can be expired or rotated at run time. */
export interface ClientState extends SimulatedClient {
  objectId: string;
  servicePrincipalId: string;
  displayName: string;
  createdDateTime: string;
  secretKeyId?: string;
  secretStart?: string;
  certKeyId?: string;
}

export interface DirectoryDevice {
  id: string;
  deviceId: string;
  displayName: string;
  operatingSystem: string;
}

export class TenantModel {
  readonly tenantId: string;
  readonly displayName: string;
  readonly domain: string;
  /** Hash of (seed, tenant id): the root of every value generated for this tenant. */
  readonly salt: number;
  readonly users: DirectoryUser[];
  readonly groups: DirectoryGroup[];
  readonly apps: DirectoryApp[];
  readonly devices: DirectoryDevice[];
  readonly policies: { id: string; displayName: string }[];
  readonly clients: ClientState[];
  /** Share of directory audits with a hostile (line-breaking) id. */
  readonly hostileAuditIds: number;
  premium: boolean;
  readonly licence: 'P1' | 'P2';

  constructor(seed: number, tenant: SimulatedTenant) {
    this.hostileAuditIds = tenant.hostileAuditIds ?? 0;
    this.tenantId = tenant.tenantId.toLowerCase();
    this.displayName = tenant.displayName ?? 'Contoso';
    this.domain = `${this.displayName.toLowerCase().replace(/[^a-z0-9]/g, '') || 'contoso'}.onmicrosoft.com`;
    this.salt = hashInts(seed, hashString(this.tenantId));
    this.premium = tenant.premium;
    this.licence = tenant.licence ?? 'P2';
    const rng = new Rng(hashInts(this.salt, 1));
    this.users = Array.from({ length: Math.max(3, tenant.users ?? 60) }, (_, i) => this.makeUser(i, rng));
    this.groups = Array.from({ length: Math.max(1, tenant.groups ?? 12) }, (_, i) => this.makeGroup(i, rng));
    this.apps = Array.from({ length: 8 }, (_, i) => ({
      id: rng.uuid(),
      appId: rng.uuid(),
      displayName: ['Payroll Connector', 'HR Sync', 'Expense Tracker', 'Ticketing Portal', 'Build Agent', 'CRM Integration', 'Wiki', 'Backup Service'][i],
      createdDateTime: '2023-02-14T09:12:44Z',
    }));
    this.devices = Array.from({ length: Math.max(5, Math.round(this.users.length * 0.8)) }, (_, i) => ({
      id: rng.uuid(),
      deviceId: rng.uuid(),
      displayName: `${['DESKTOP', 'LAPTOP', 'IPHONE', 'ANDROID'][i % 4]}-${rng.hex(7).toUpperCase()}`,
      operatingSystem: ['Windows', 'Windows', 'iOS', 'Android'][i % 4],
    }));
    this.policies = CA_POLICIES.map((displayName) => ({ id: rng.uuid(), displayName }));
    this.clients = tenant.clients.map((c, i) => ({
      ...c,
      clientId: c.clientId.toLowerCase(),
      objectId: rng.uuid(),
      servicePrincipalId: rng.uuid(),
      displayName: c.displayName ?? (i === 0 ? 'entra-ingest' : `entra-ingest ${i + 1}`),
      createdDateTime: '2024-01-10T08:00:00Z',
      secretKeyId: rng.uuid(),
      certKeyId: rng.uuid(),
    }));
  }

  findClient(clientId: string): ClientState | undefined {
    const id = clientId.toLowerCase();
    return this.clients.find((c) => c.clientId === id);
  }

  private makeUser(index: number, rng: Rng): DirectoryUser {
    const givenName = GIVEN_NAMES[(index + rng.int(7)) % GIVEN_NAMES.length];
    const surname = SURNAMES[(index * 7 + rng.int(5)) % SURNAMES.length];
    const guest = index > 4 && rng.chance(0.08);
    const alias = `${givenName}${surname[0]}${index > GIVEN_NAMES.length ? index : ''}`;
    const upn = guest ? `${alias.toLowerCase()}_fabrikam.com#EXT#@${this.domain}` : `${alias}@${this.domain}`;
    return {
      index,
      id: rng.uuid(),
      givenName,
      surname,
      displayName: `${givenName} ${surname}`,
      userPrincipalName: upn,
      mail: guest ? `${alias.toLowerCase()}@fabrikam.com` : `${alias}@${this.domain}`,
      jobTitle: rng.pick(JOB_TITLES),
      department: rng.pick(DEPARTMENTS),
      officeLocation: rng.pick(OFFICES),
      mobilePhone: rng.chance(0.6) ? `+1 425 555 0${100 + rng.int(899)}` : null,
      businessPhones: rng.chance(0.8) ? [`+1 425 555 0${100 + rng.int(899)}`] : [],
      preferredLanguage: rng.pick(LANGUAGES),
      userType: guest ? 'Guest' : 'Member',
    };
  }

  private makeGroup(index: number, rng: Rng): DirectoryGroup {
    const name = index < GROUP_NAMES.length ? GROUP_NAMES[index] : `${GROUP_NAMES[index % GROUP_NAMES.length]} ${Math.floor(index / GROUP_NAMES.length) + 1}`;
    const unified = rng.chance(0.5);
    const share = index === 0 ? 1 : 0.05 + rng.float() * 0.3;
    const initialMembers: number[] = [];
    for (let u = 0; u < this.users.length; u++) if (rng.float() < share) initialMembers.push(u);
    const nick = name.toLowerCase().replace(/[^a-z0-9]/g, '');
    return {
      index,
      id: rng.uuid(),
      displayName: name,
      description: `${name} (${unified ? 'Microsoft 365 group' : 'security group'})`,
      groupTypes: unified ? ['Unified'] : [],
      mail: unified ? `${nick}@${this.domain}` : null,
      mailEnabled: unified,
      securityEnabled: !unified,
      createdDateTime: `2022-0${1 + (index % 9)}-1${index % 10}T10:36:14Z`,
      initialMembers,
    };
  }
}
