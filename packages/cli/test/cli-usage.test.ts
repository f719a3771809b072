import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../src/program';
import { captureOutput, type CapturedOutput } from './captured-output';

// Bad input is refused before anything connects to Temporal: exit 2 and a message naming what is wrong.

let dir: string;
let config: string;
let output: CapturedOutput;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-usage-'));
  config = path.join(dir, 'feeds.yaml');
  fs.writeFileSync(config, [
    'temporal: { address: "127.0.0.1:1" }',
    'feeds:',
    '  - id: acme',
    '    tenantId: t',
    '    clientId: c',
    '    credential: { clientSecret: { env: ACME_SECRET } }',
    '    retentionDays: 7',
    '',
  ].join('\n'));
  output = captureOutput();
});

afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const day = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString();

test('"backfill" without a subcommand starts one, and a range older than retention exits 2', async () => {
  const code = await runCli(['backfill', '--config', config, '--feed', 'acme', '--source', 'directoryAudits', '--from', day(9), '--to', day(1)]);
  expect(code).toBe(2);
  expect(output.stderr).toMatch(/cannot backfill feed "acme":\n {2}- --from .* is too old: Graph keeps directoryAudits 7 days/);
});

test('backfill refuses from after to, a bad date and an unknown feed', async () => {
  expect(await runCli(['backfill', 'start', '--config', config, '--feed', 'acme', '--source', 'signIns', '--from', day(1), '--to', day(2)])).toBe(2);
  expect(output.stderr).toMatch(/must be before --to/);
  output.stderr = '';
  expect(await runCli(['backfill', '--config', config, '--feed', 'acme', '--source', 'signIns', '--from', 'last week', '--to', day(2)])).toBe(2);
  expect(output.stderr).toMatch(/--from must be an ISO 8601 date-time/);
  output.stderr = '';
  expect(await runCli(['backfill', '--config', config, '--feed', 'nope', '--source', 'signIns', '--from', day(3), '--to', day(2)])).toBe(2);
  expect(output.stderr).toMatch(/feed "nope" is not in the config; configured feeds: acme/);
});

test('backfill control commands need the backfill they are about', async () => {
  expect(await runCli(['backfill', 'pause', '--feed', 'acme', '--source', 'signIns'])).toBe(2);
  expect(output.stderr).toMatch(/backfill pause needs --workflow-id, or .* \(missing --from, --to\)/);
});

test('check and credentials need --feed', async () => {
  expect(await runCli(['check', '--config', config])).toBe(2);
  expect(output.stderr).toMatch(/check needs --feed \(configured feeds: acme\)/);
  output.stderr = '';
  expect(await runCli(['credentials', '--config', config, '--feed', 'other'])).toBe(2);
  expect(output.stderr).toMatch(/feed "other" is not in the config/);
  expect(output.stdout).toBe('');
});
