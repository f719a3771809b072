import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CheckReport } from '@entra-ingest/workflows';
import { runFeedCheck } from '../../packages/cli/src/feed-check';
import { silentLogger } from '@entra-ingest/config';
import { CLIENT, TENANT, feedConfig, startEnv, writeConfig, type TestEnv } from '../support/harness';
import { runCliProcess as runCli, type CliRun } from '../support/cli-process';

// The onboarding check against the simulator: one feed per failure mode, each reported with the fix.

const UNLICENSED_TENANT = '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e';
const UNKNOWN_TENANT = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const CLIENT_NO_AUDIT = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const CLIENT_EXPIRING = '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a';
const ALL = ['AuditLog.Read.All', 'Directory.Read.All', 'User.Read.All', 'Application.Read.All'];
const in90Days = (): string => new Date(Date.now() + 90 * 86_400_000).toISOString();

const secrets = { good: `good-${crypto.randomBytes(8).toString('hex')}`, noAudit: `na-${crypto.randomBytes(8).toString('hex')}`, expiring: `ex-${crypto.randomBytes(8).toString('hex')}` };

let env: TestEnv;
let configFile: string;
let loaded: ReturnType<typeof writeConfig>;

beforeAll(async () => {
  env = await startEnv('check', {
    historyDays: 1,
    eventsPerMinute: 1,
    tenants: [
      {
        tenantId: TENANT, premium: true, users: 10, groups: 2,
        clients: [
          { clientId: CLIENT, secret: { value: secrets.good, expiresAt: in90Days() }, permissions: ALL },
          { clientId: CLIENT_NO_AUDIT, secret: { value: secrets.noAudit, expiresAt: in90Days() }, permissions: ['User.Read.All'] },
          { clientId: CLIENT_EXPIRING, secret: { value: secrets.expiring, expiresAt: in90Days() }, permissions: ALL },
        ],
      },
      { tenantId: UNLICENSED_TENANT, premium: false, users: 10, groups: 2, clients: [{ clientId: CLIENT, secret: { value: secrets.good, expiresAt: in90Days() }, permissions: ALL }] },
    ],
  });
  const files = { good: secrets.good, wrong: 'not-the-secret', noAudit: secrets.noAudit, expiring: secrets.expiring };
  for (const [name, value] of Object.entries(files)) fs.writeFileSync(path.join(env.dir, `${name}-secret`), value);
  const all = { directoryAudits: { enabled: true }, signIns: { enabled: true }, users: { enabled: true } };
  const feed = (id: string, secretFile: string, extra: Record<string, unknown> = {}) =>
    feedConfig(env, { id, sources: all, credential: { clientSecret: { file: `${secretFile}-secret` } }, ...extra }).feeds[0]!;
  const cfg = {
    ...feedConfig(env, {}, { temporal: { address: process.env.TEMPORAL_TEST_ADDRESS } }),
    feeds: [
      feed('good', 'good'),
      feed('badsecret', 'wrong'),
      feed('expired', 'expiring', { clientId: CLIENT_EXPIRING }),
      feed('noaudit', 'noAudit', { clientId: CLIENT_NO_AUDIT }),
      feed('unlicensed', 'good', { tenantId: UNLICENSED_TENANT }),
      feed('wrongtenant', 'good', { tenantId: UNKNOWN_TENANT }),
    ],
  };
  loaded = writeConfig(env, cfg);
  configFile = loaded.source;
});

afterAll(async () => {
  await env?.cleanup();
});

const check = (feed: string): Promise<CheckReport> => runFeedCheck(loaded, feed, { logger: silentLogger });
const byName = (r: CheckReport, source: string) => r.sources.find((s) => s.source === source);

const runCliProcess = (args: string[]): Promise<CliRun> => runCli(args);

test('a good feed passes: token, every source, and the app credentials are read (the real CLI exits 0)', async () => {
  const cli = await runCliProcess(['check', '--config', configFile, '--feed', 'good']);
  expect(cli.stderr).not.toMatch(/entra-ingest: error/);
  expect(cli.code).toBe(0);
  expect(cli.stdout).toMatch(/^feed good: ready to ingest$/m);
  for (const source of ['token', 'directoryAudits', 'signIns', 'users']) expect(cli.stdout).toMatch(new RegExp(`^${source}\\s+OK\\s`, 'm'));

  const json = await runCliProcess(['check', '--config', configFile, '--feed', 'good', '--json']);
  expect(json.code).toBe(0);
  const report = JSON.parse(json.stdout) as CheckReport;
  expect(report.ok).toBe(true);
  expect(report.sources.map((s) => s.source)).toEqual(expect.arrayContaining(['directoryAudits', 'signIns', 'users']));
  expect(report.credentials?.[0]?.kind).toBe('password');
});

test('a wrong secret: AADSTS7000215 with the fix, sources not checked, and the CLI exits 1', async () => {
  const cli = await runCliProcess(['check', '--config', configFile, '--feed', 'badsecret']);
  expect(cli.code).toBe(1);
  expect(cli.stdout).toMatch(/^feed badsecret: cannot be ingested yet \(4 problems\)$/m);
  expect(cli.stdout).toMatch(/^token\s+FAIL\s+.*AADSTS7000215.*copy the secret VALUE/m);
  expect(cli.stderr).toMatch(/entra-ingest: error: feed badsecret cannot be ingested: 4 problems above/);
  expect(cli.stdout + cli.stderr).not.toContain('not-the-secret');

  const report = await check('badsecret');
  expect(report.ok).toBe(false);
  expect(report.sources.every((s) => !s.ok && /no token/.test(s.detail))).toBe(true);
});

test('an expired secret: AADSTS7000222, create a new secret', async () => {
  env.simulator.expireSecret(TENANT, CLIENT_EXPIRING);
  const report = await check('expired');
  expect(report.ok).toBe(false);
  expect(report.token.ok).toBe(false);
  expect(report.token.detail).toMatch(/AADSTS7000222/);
  expect(`${report.token.detail} ${report.token.fix ?? ''}`).toMatch(/expired.*create a new secret/);
});

test('a missing permission names AuditLog.Read.All and admin consent; what the app may read stays OK', async () => {
  const report = await check('noaudit');
  expect(report.ok).toBe(false);
  expect(report.token.ok).toBe(true);
  for (const source of ['directoryAudits', 'signIns']) {
    const s = byName(report, source)!;
    expect(s.ok).toBe(false);
    expect(`${s.detail} ${s.fix ?? ''}`).toMatch(/AuditLog\.Read\.All.*Grant admin consent/);
  }
  expect(byName(report, 'users')!.ok).toBe(true);
});

test('a tenant without a P1/P2 licence: the log sources fail with the licence fix, users are fine', async () => {
  const report = await check('unlicensed');
  expect(report.ok).toBe(false);
  expect(report.token.ok).toBe(true);
  for (const source of ['directoryAudits', 'signIns']) {
    const s = byName(report, source)!;
    expect(s.ok).toBe(false);
    expect(`${s.detail} ${s.fix ?? ''}`).toMatch(/P1 or P2 licence/);
  }
  expect(byName(report, 'users')!.ok).toBe(true);
});

test('a wrong tenant id: AADSTS90002, check the tenant id', async () => {
  const report = await check('wrongtenant');
  expect(report.ok).toBe(false);
  expect(report.token.detail).toMatch(/AADSTS90002/);
  expect(`${report.token.detail} ${report.token.fix ?? ''}`).toMatch(/tenant was not found: check the tenant id/);
});
