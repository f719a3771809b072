import { Agent, request, type Dispatcher } from 'undici';
import type { RunningSimulator } from '@entra-ingest/graph-simulator';
import type { BenchTenant } from './stack';

/**
 * Raw pages from the simulator: the body text of each page and its nextLink, without JSON.parse, so what is timed
 * here is the server (and what the mapping section parses later is exactly what Graph sent).
 */
export class RawGraph {
  private readonly agent: Agent;
  private token?: string;

  constructor(private readonly sim: RunningSimulator, private readonly t: BenchTenant) {
    this.agent = new Agent({ connect: sim.caCertPem ? { ca: sim.caCertPem } : {}, keepAliveTimeout: 30_000 });
  }

  async signIn(): Promise<void> {
    const client = this.t.tenant.clients[0]!;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: this.t.secret, scope: `${this.sim.url}/.default` }).toString();
    const res = await request(`${this.sim.url}/${this.t.tenant.tenantId}/oauth2/v2.0/token`, {
      method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' }, dispatcher: this.agent,
    });
    const body = (await res.body.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`simulator refused the bench token (${res.statusCode})`);
    this.token = body.access_token;
  }

  /**
   * Page bodies from `firstPath` (e.g. /v1.0/auditLogs/directoryAudits?$top=1000) until `maxRecords` or the end.
   * Records are counted by a property every record has once (`marker`, e.g. "activityDateTime"): no parsing here.
   */
  async *pages(firstPath: string, marker: string, maxRecords = Infinity): AsyncGenerator<{ text: string; records: number }> {
    if (!this.token) await this.signIn();
    let next: string | undefined = `${this.sim.url}${firstPath}`;
    let served = 0;
    while (next && served < maxRecords) {
      const res: Dispatcher.ResponseData = await request(next, { headers: { authorization: `Bearer ${this.token}` }, dispatcher: this.agent });
      const text: string = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`simulator answered ${res.statusCode}: ${text.slice(0, 200)}`);
      const records = text.split(`"${marker}":`).length - 1;
      served += records;
      next = /"@odata\.nextLink":"([^"]+)"/.exec(text)?.[1];
      yield { text, records };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
