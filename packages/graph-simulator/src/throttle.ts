/**
 * Graph's identity-and-access-reports limits: requests per app per tenant and per app across tenants in a
 * sliding 10 s window. Only admitted requests count, so a client that backs off as told gets through.
 */
const WINDOW_MS = 10_000;

export interface ThrottleLimits {
  perTenantPer10s: number;
  perAppPer10s: number;
}

export class Throttle {
  private readonly log = new Map<string, number[]>();

  constructor(private readonly limits: ThrottleLimits) {}

  /** Admits the request (returns 0) or returns how many seconds to wait. */
  admit(appId: string, tenantId: string, nowMs: number): number {
    const perTenant = this.recent(`${appId}|${tenantId}`, nowMs);
    const perApp = this.recent(appId, nowMs);
    const waits: number[] = [];
    if (perTenant.length >= this.limits.perTenantPer10s) waits.push(perTenant[perTenant.length - this.limits.perTenantPer10s] + WINDOW_MS - nowMs);
    if (perApp.length >= this.limits.perAppPer10s) waits.push(perApp[perApp.length - this.limits.perAppPer10s] + WINDOW_MS - nowMs);
    if (waits.length > 0) return Math.max(0.001, Math.max(...waits) / 1000);
    perTenant.push(nowMs);
    perApp.push(nowMs);
    return 0;
  }

  private recent(key: string, nowMs: number): number[] {
    const times = this.log.get(key) ?? [];
    let drop = 0;
    while (drop < times.length && times[drop] <= nowMs - WINDOW_MS) drop++;
    if (drop > 0) times.splice(0, drop);
    this.log.set(key, times);
    return times;
  }
}
