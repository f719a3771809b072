/**
 * Measures how fast the simulator serves directory audits (records/s over loopback HTTP, pages of 1000),
 * so benchmarks can show the simulator is not their bottleneck.
 */
import { demoTenant, startSimulator } from './simulator';
import type { RunningSimulator } from './types';

export interface ServeRate {
  records: number;
  pages: number;
  seconds: number;
  recordsPerSecond: number;
}

export async function measureServeRate(opts: { records?: number; pageSize?: number } = {}): Promise<ServeRate> {
  const records = opts.records ?? 100_000;
  const now = Date.now();
  const sim: RunningSimulator = await startSimulator({
    http: true,
    tenants: [demoTenant({ clientSecret: 'bench-secret' })],
    bulk: records,
    historyDays: 1,
    throttle: { enabled: false },
    latency: { p50Seconds: 0, maxSeconds: 0, tailShare: 0 },
    clock: () => now,
  });
  try {
    const tenant = demoTenant();
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: tenant.clients[0].clientId, client_secret: 'bench-secret', scope: `${sim.url}/.default` });
    const tokenRes = await fetch(`${sim.url}/${tenant.tenantId}/oauth2/v2.0/token`, { method: 'POST', body: form });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    let next: string | undefined = `${sim.url}/v1.0/auditLogs/directoryAudits?$top=${opts.pageSize ?? 1000}`;
    let served = 0;
    let pages = 0;
    const started = process.hrtime.bigint();
    while (next) {
      const res = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
      // Count records and find the next link without JSON.parse: we time the server, not the client's parser.
      const text = await res.text();
      if (res.status !== 200) throw new Error(`simulator answered ${res.status}: ${text.slice(0, 200)}`);
      served += text.split('"activityDateTime":').length - 1;
      pages++;
      next = /"@odata\.nextLink":"([^"]+)"/.exec(text)?.[1];
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { records: served, pages, seconds, recordsPerSecond: Math.round(served / seconds) };
  } finally {
    await sim.close();
  }
}
