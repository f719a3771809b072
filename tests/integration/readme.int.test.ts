import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseConfigText } from '@entra-ingest/config';
import { SOURCE_NAMES } from '@entra-ingest/sources';
import { freePort } from '../../packages/dev-server/src';
import { fileSinkEvents, tempDir, waitFor } from '../support/harness';
import { CLI } from '../support/cli-process';
import { type ReadmeCommand, blockCommands, dateShift, latestDate, notRunReason, readmeBlocks, shiftDates } from '../support/readme-commands';

// The README as a new user follows it: `npm start` (its dev stack: dev server + Web UI, simulator, worker, demo
// schedules), then every command block of the quick start and "Operating it", in order, as written, from the clone in
// a second shell. Each must exit 0. What cannot run as it stands is listed in NOT_RUN (readme-commands.ts); example
// dates are moved into Graph's retention (dateShift). The stack's own promise is checked too: OCSF files, the Web
// UI's schedules and runs, metrics, and one Ctrl-C stops it all.

const root = path.resolve(__dirname, '../..');
const README = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const SECTIONS = ['Quick start', 'Operating it'];

interface Result { code: number | null; output: string }

function sh(command: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('README parsing (the rules the README test applies)', () => {
  test('blocks, continuations, comments and placeholders', () => {
    const md = '## Quick start\n\n```sh\nnpm start     # starts it\n# a comment\npnpm -s temporal workflow start --a x \\\n  --b \'{"k":"v # not a comment"}\'\nentra-ingest backfill --from … --to …\n```\n';
    const commands = readmeBlocks(md).flatMap(blockCommands);
    expect(commands.map((c) => [c.command, c.line, c.section])).toEqual([
      ['npm start', 4, 'Quick start'],
      ['pnpm -s temporal workflow start --a x --b \'{"k":"v # not a comment"}\'', 6, 'Quick start'],
      ['entra-ingest backfill --from … --to …', 8, 'Quick start'],
    ]);
    expect(commands.map((c) => notRunReason(c.command) !== undefined)).toEqual([true, false, true]);
  });

  test('dates move together, ids with them, into the hour before last', () => {
    const cmds = ['--from 2026-11-22T08:00:00Z --to 2026-11-22T09:00:00Z', '--workflow-id backfill/x/20261122T080000Z-20261122T090000Z', '"windowStart":"2026-11-22T10:00:00Z","windowEnd":"2026-11-22T10:01:00Z"'];
    const now = Date.parse('2026-12-24T15:42:10Z');
    const shift = dateShift(latestDate(cmds)!, now);
    expect(cmds.map((c) => shiftDates(c, shift))).toEqual([
      '--from 2026-12-24T12:00:00Z --to 2026-12-24T13:00:00Z', '--workflow-id backfill/x/20261224T120000Z-20261224T130000Z', '"windowStart":"2026-12-24T14:00:00Z","windowEnd":"2026-12-24T14:01:00Z"',
    ]);
  });
});

describe('README.md, as written, against the npm start stack', () => {
  let dev: ChildProcess;
  let exited: Promise<number | null>;
  let log: string;
  let dataDir: string;
  const ports = { ui: 0, grpc: 0, sim: 0, metrics: 0 };

  beforeAll(async () => {
    // `npm start` is the bootstrap (done: the suite runs after it) and then `entra-ingest dev`: run that, on free ports.
    expect(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start).toMatch(/pnpm -s entra-ingest dev$/);
    dataDir = path.join(tempDir('readme'), '.data');
    Object.assign(ports, { ui: await freePort(), grpc: await freePort(), sim: await freePort(), metrics: await freePort() });
    log = path.join(path.dirname(dataDir), 'dev.log');
    const out = fs.openSync(log, 'a');
    // Its own process group, as a shell's foreground job: the Ctrl-C below goes to the whole group, as a terminal's does.
    dev = spawn(process.execPath, [CLI, 'dev', '--data-dir', dataDir, '--ui-port', String(ports.ui), '--temporal-port', String(ports.grpc), '--simulator-port', String(ports.sim), '--metrics-port', String(ports.metrics), '--events-per-minute', '60'], {
      stdio: ['ignore', out, out], env: { ...process.env, TEMPORAL_ADDRESS: '' }, detached: true,
    });
    fs.closeSync(out);
    exited = new Promise((resolve) => dev.once('exit', (code) => resolve(code)));
    await waitFor('the dev stack to report it is running', () => (fs.readFileSync(log, 'utf8').includes('entra-ingest is running') ? true : undefined), 120_000);
  });

  afterAll(async () => {
    if (dev.exitCode !== null || dev.signalCode !== null) return;
    // A test failed before the Ctrl-C: stop it the same way (it stops its Temporal server), then for good.
    dev.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
    if (dev.exitCode === null && dev.signalCode === null) dev.kill('SIGKILL');
  });

  test('the banner shows what the README says it prints, in short readable lines (no JSON, no bundle report)', () => {
    const printed = fs.readFileSync(log, 'utf8');
    const sample = readmeBlocks(README).find((b) => b.section === 'Quick start' && b.lang === '' && b.text.includes('entra-ingest is running'))!;
    for (const line of sample.text.split('\n').map((l) => l.trim()).filter((l) => l && l !== '…')) {
      // "Label:   value": the label must be there (ports and paths differ here); other lines as they stand.
      const label = /^([A-Z][\w -]*:)\s{2,}/.exec(line)?.[1];
      expect(printed).toContain(label ?? line);
    }
    expect(printed).toContain(`http://127.0.0.1:${ports.ui}`);
    expect(printed).not.toMatch(/^\{"time"/m);
    expect(printed).not.toContain('webpack compiled');
    expect(printed.split('\n').every((l) => l.length < 400)).toBe(true);
  });

  test("the README's configuration example is a valid config", () => {
    const yamlBlocks = readmeBlocks(README).filter((b) => b.section === 'Configuration' && b.lang === 'yaml');
    expect(yamlBlocks.length).toBeGreaterThan(0);
    for (const b of yamlBlocks) expect(() => parseConfigText(b.text, `README.md line ${b.line}`)).not.toThrow();
  });

  test('every command of the quick start and "Operating it" succeeds as written', async () => {
    const commands: ReadmeCommand[] = readmeBlocks(README).filter((b) => SECTIONS.includes(b.section) && ['sh', 'bash', 'shell'].includes(b.lang)).flatMap(blockCommands);
    expect(commands.length).toBeGreaterThan(10);
    const shift = dateShift(latestDate(commands.map((c) => c.command)) ?? Date.now(), Date.now());
    // A second shell in the clone: nothing exported, so commands find the stack by the documented rule. The only
    // difference from a user's shell: this stack's data dir is not the clone's .data, so the rule's
    // $ENTRA_INGEST_CONFIG step points there (the .data step is covered by config-file-rule.test.ts).
    const env = { ...process.env, TEMPORAL_ADDRESS: '', TEMPORAL_NAMESPACE: '', ENTRA_INGEST_CONFIG: path.join(dataDir, 'demo-feeds.yaml') };
    const ran: string[] = [];
    for (const c of commands) {
      const reason = notRunReason(c.command);
      if (reason) continue;
      const command = shiftDates(c.command, shift);
      const started = Date.now();
      const r = await sh(command, env, 300_000);
      if (r.code !== 0) throw new Error(`README.md line ${c.line} (${c.section}) failed with exit ${r.code}:\n$ ${command}\n${r.output.slice(-3000)}`);
      ran.push(command);
      fs.appendFileSync(path.join(path.dirname(dataDir), 'timings.txt'), `${((Date.now() - started) / 1000).toFixed(1)}s README.md:${c.line} ${command.slice(0, 100)}\n`);
    }
    // Both kinds of command ran: the project CLI and the bundled Temporal CLI.
    expect(ran.some((c) => c.startsWith('pnpm -s entra-ingest backfill'))).toBe(true);
    expect(ran.some((c) => c.startsWith('pnpm -s temporal workflow start'))).toBe(true);
  }, 900_000);

  test('the stack delivered OCSF files and shows its schedules, runs and metrics', async () => {
    const events = await waitFor('OCSF files of both windowed sources', () => {
      const all = fileSinkEvents(path.join(dataDir, 'ocsf'));
      // Every kind of source of the demo feed: logs, changing risk records and a delta inventory.
      const wanted = ['directoryAudits', 'signIns', 'provisioning', 'riskDetections', 'devices'];
      return wanted.every((s) => all.some((e) => e.source === s)) ? all : undefined;
    }, 180_000, 2000);
    expect(events.length).toBeGreaterThan(0);
    const page = await fetch(`http://127.0.0.1:${ports.ui}/`);
    expect(page.status).toBe(200);
    const schedules = (await (await fetch(`http://127.0.0.1:${ports.ui}/api/v1/namespaces/default/schedules`)).json()) as { schedules?: { scheduleId: string }[] };
    expect((schedules.schedules ?? []).map((s) => s.scheduleId).sort()).toEqual(SOURCE_NAMES.map((s) => `entra-ingest/demo/${s}`).sort());
    const runs = (await (await fetch(`http://127.0.0.1:${ports.ui}/api/v1/namespaces/default/workflows?query=${encodeURIComponent('EntraKind="window"')}`)).json()) as { executions?: { execution: { workflowId: string } }[] };
    expect((runs.executions ?? []).some((e) => e.execution.workflowId.startsWith('ingest/demo/directoryAudits/'))).toBe(true);
    const metricsText = await (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`)).text();
    expect(metricsText).toMatch(/entra_ingest_events_delivered_total\{[^}]*feed="demo"/);
  });

  test('one Ctrl-C stops everything in order, and the Temporal port is free again', async () => {
    const before = fs.readFileSync(log, 'utf8').length;
    // To the whole process group, as a terminal sends it: the Temporal server must not go before the worker drained.
    process.kill(-dev.pid!, 'SIGINT');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 30_000))]);
    expect(code).toBe(0);
    // A server gone first shows as the Temporal core's retries against it ("tcp connect error", Unavailable).
    const stopping = fs.readFileSync(log, 'utf8').slice(before);
    expect(stopping).toContain('worker stopped');
    expect(stopping).not.toMatch(/Unavailable|tcp connect error|Network error/);
    await waitFor('the Temporal port to be released', () => new Promise<true | undefined>((resolve) => {
      const s = net.connect(ports.grpc, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(undefined); });
      s.once('error', () => resolve(true));
    }), 15_000);
  });
});
