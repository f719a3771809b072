/** The real `entra-ingest simulate` command, spawned, used over HTTPS with the CA it writes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'packages/cli/bin/entra-ingest.js');
const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT = '66666666-7777-4888-9999-aaaaaaaaaaaa';
const SECRET = 'cli-test-secret';

describe('entra-ingest simulate', () => {
  let child: ChildProcess | undefined;
  let dir: string;

  beforeAll(() => {
    if (!existsSync(path.join(ROOT, 'packages/cli/dist/commands/simulate.js'))) {
      throw new Error('build the CLI first: pnpm exec tsc -b packages/cli');
    }
    dir = mkdtempSync(path.join(tmpdir(), 'simulate-cli-'));
  });
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints its URL and CA, issues a token for the given client and pages audits equal to the ground truth', async () => {
    const caOut = path.join(dir, 'ca.pem');
    child = spawn(process.execPath, [BIN, 'simulate', '--port', '0', '--seed', '42', '--tenant-id', TENANT, '--client-id', CLIENT, '--client-secret', SECRET, '--ca-out', caOut], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child?.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Graph simulator listening on (\S+) \(CA: (.+)\)\n/.exec(out);
        if (m) resolve(m[0]);
      });
      child?.once('exit', (code) => reject(new Error(`simulate exited with ${code}: ${out}`)));
    });
    const [, url, caPath] = /listening on (\S+) \(CA: (.+)\)/.exec(line) as RegExpExecArray;
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(caPath).toBe(caOut);
    const dispatcher = new Agent({ connect: { ca: readFileSync(caPath, 'utf8') } });

    const tokenRes = await request(`${url}/${TENANT}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT, client_secret: SECRET, scope: `${url}/.default` }).toString(),
      dispatcher,
    });
    expect(tokenRes.statusCode).toBe(200);
    const { access_token: token } = (await tokenRes.body.json()) as { access_token: string };

    // A window old enough that every record in it is visible (the latency tail is 30 minutes).
    const to = new Date(Date.now() - 40 * 60_000).toISOString();
    const from = new Date(Date.now() - 160 * 60_000).toISOString();
    const served: string[] = [];
    let next: string | undefined = `${url}/v1.0/auditLogs/directoryAudits?$filter=activityDateTime ge ${from} and activityDateTime le ${to}&$top=1000`;
    while (next) {
      const res = await request(next, { headers: { authorization: `Bearer ${token}` }, dispatcher });
      const body = (await res.body.json()) as any;
      if (res.statusCode === 429) {
        await new Promise((r) => setTimeout(r, Number(res.headers['retry-after']) * 1000));
        continue;
      }
      expect(res.statusCode).toBe(200);
      served.push(...body.value.map((r: { id: string }) => r.id));
      next = body['@odata.nextLink'];
    }
    const truthRes = await request(`${url}/_simulator/records?source=directoryAudits&tenant=${TENANT}&from=${from}&to=${to}`, { dispatcher });
    const truth = (await truthRes.body.json()) as { count: number; records: { id: string; visible: boolean }[] };
    expect(truth.count).toBeGreaterThan(1000);
    expect(truth.records.every((r) => r.visible)).toBe(true);
    expect(served.sort()).toEqual(truth.records.map((r) => r.id).sort());

    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await dispatcher.close();
  });
});
