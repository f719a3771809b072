import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../packages/dev-server/src';
import { fileSinkEvents, tempDir, waitFor } from '../support/harness';

// The quick start's promise, as a user runs it: `entra-ingest dev` from an empty data dir brings up the dev server
// with its Web UI, the simulator, a worker and the demo schedules; OCSF files appear; Ctrl-C stops everything.

const CLI = path.resolve(__dirname, '../../packages/cli/bin/entra-ingest.js');

test('entra-ingest dev delivers OCSF files within 3 minutes, with schedules and runs visible in the Web UI', async () => {
  const dataDir = tempDir('dev');
  const [ui, grpc, sim, metrics] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const log = path.join(dataDir, 'dev.log');
  const out = fs.openSync(log, 'a');
  const child = spawn(process.execPath, [CLI, 'dev', '--data-dir', dataDir, '--ui-port', String(ui), '--temporal-port', String(grpc), '--simulator-port', String(sim), '--metrics-port', String(metrics), '--events-per-minute', '60'], {
    stdio: ['ignore', out, out], env: { ...process.env, TEMPORAL_ADDRESS: '' },
  });
  fs.closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const started = Date.now();
    await waitFor('the dev stack to report it is running', () => (fs.readFileSync(log, 'utf8').includes('entra-ingest is running') ? true : undefined), 90_000);
    expect(fs.readFileSync(log, 'utf8')).toContain(`http://127.0.0.1:${ui}`);

    const files = await waitFor('OCSF files', () => {
      const events = fileSinkEvents(path.join(dataDir, 'ocsf'));
      return events.some((e) => e.source === 'directoryAudits') && events.some((e) => e.source === 'signIns') ? events : undefined;
    }, 180_000 - (Date.now() - started), 2000);
    expect(files.length).toBeGreaterThan(0);

    // The Web UI answers, and its API shows the schedules and the window workflows.
    const page = await fetch(`http://127.0.0.1:${ui}/`);
    expect(page.status).toBe(200);
    const schedules = (await (await fetch(`http://127.0.0.1:${ui}/api/v1/namespaces/default/schedules`)).json()) as { schedules?: { scheduleId: string }[] };
    expect((schedules.schedules ?? []).map((s) => s.scheduleId).sort()).toEqual(['entra-ingest/demo/directoryAudits', 'entra-ingest/demo/signIns', 'entra-ingest/demo/users']);
    const runs = (await (await fetch(`http://127.0.0.1:${ui}/api/v1/namespaces/default/workflows?query=${encodeURIComponent('EntraKind="window"')}`)).json()) as { executions?: { execution: { workflowId: string } }[] };
    expect((runs.executions ?? []).some((e) => e.execution.workflowId.startsWith('ingest/demo/directoryAudits/'))).toBe(true);
    const metricsText = await (await fetch(`http://127.0.0.1:${metrics}/metrics`)).text();
    expect(metricsText).toMatch(/entra_ingest_events_delivered_total\{[^}]*feed="demo"/);
  } finally {
    child.kill('SIGINT');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 30_000))]);
    if (code === 'hung') child.kill('SIGKILL');
    expect(code).not.toBe('hung');
  }
  // Ctrl-C stopped the dev server too: its port is free again.
  await waitFor('the Temporal port to be released', async () => {
    const net = await import('node:net');
    return new Promise<true | undefined>((resolve) => {
      const s = net.connect(grpc, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(undefined); });
      s.once('error', () => resolve(true));
    });
  }, 15_000);
});
