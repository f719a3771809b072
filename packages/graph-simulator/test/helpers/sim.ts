/** Test helpers: start a simulator on loopback, get tokens, page through results. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { demoTenant, startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src';

export const SECRET = 'test-secret-value';
export const TENANT = demoTenant({ clientSecret: SECRET });
export const TENANT_ID = TENANT.tenantId;
export const CLIENT_ID = TENANT.clients[0].clientId;

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8'));
}

/** A controllable clock, so visibility, expiry and TTLs can be tested without waiting. */
export class TestClock {
  constructor(public ms = Date.UTC(2026, 2, 10, 12, 0, 0)) {}
  readonly now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
  iso(offsetSeconds = 0): string {
    return new Date(this.ms + offsetSeconds * 1000).toISOString();
  }
}

export async function startHttp(overrides: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  return startSimulator({ http: true, tenants: [TENANT], throttle: { enabled: false }, ...overrides });
}

export async function tokenRequest(sim: RunningSimulator, params: Record<string, string>, tenant = TENANT_ID): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}/${tenant}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(params) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function getToken(sim: RunningSimulator, secret = SECRET): Promise<string> {
  const { status, body } = await tokenRequest(sim, { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: secret, scope: `${sim.url}/.default` });
  if (status !== 200) throw new Error(`token request failed: ${JSON.stringify(body)}`);
  return body.access_token as string;
}

export async function graphGet(url: string, token: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string; json: () => any }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** Follows @odata.nextLink to the end; returns every page body. */
export async function allPages(firstUrl: string, token: string): Promise<any[]> {
  const pages: any[] = [];
  let next: string | undefined = firstUrl;
  while (next) {
    const res = await graphGet(next, token);
    if (res.status !== 200) throw new Error(`page failed with ${res.status}: ${res.text}`);
    const body = res.json();
    pages.push(body);
    next = body['@odata.nextLink'];
  }
  return pages;
}

export function auditsUrl(sim: RunningSimulator, from: string, to: string, extra = ''): string {
  return `${sim.url}/v1.0/auditLogs/directoryAudits?$filter=activityDateTime ge ${from} and activityDateTime le ${to}${extra}`;
}
