// `map --format parquet --out DIR` against `map` (NDJSON) over the same records, read back by pyarrow: the same
// events (count, metadata.uid, class_uid, time, every nested field) with objects as structs and arrays as lists, in
// Security Lake's custom-source layout. pyarrow is installed into the ignored tools folder when missing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCliProcess } from '../support/cli-process';
import { tempDir } from '../support/harness';

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '../..');
const PYARROW = '25.0.1';
const PYTHON_DIR = path.join(ROOT, '.tools', 'python');
const CHECK = path.join(ROOT, 'tests/support/parquet_check.py');
const FIXTURES = path.join(ROOT, 'packages/ocsf/test');
const TENANT = '5c1e0b7a-3d2f-4e6a-9b8c-7d6e5f4a3b2c';
const INPUTS: [source: string, file: string][] = [
  ['directoryAudits', 'corpus/directory-audits.json'],
  ['signIns', 'fixtures/graph/signIns-list-example.json'],
  ['signIns', 'fixtures/graph/signIns-beta-list-failure-50126-example.json'],
  ['users', 'fixtures/graph/users-delta-initial-response-example.json'],
];
const env = { ...process.env, PYTHONPATH: PYTHON_DIR };

function ensurePyarrow(): void {
  if (spawnSync('python3', ['-c', 'import pyarrow'], { env }).status === 0) return;
  const args = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', PYTHON_DIR, `pyarrow==${PYARROW}`];
  let r = spawnSync('python3', args, { encoding: 'utf8' });
  // Debian's Python refuses pip installs (PEP 668) even into a private --target folder unless told to.
  if (r.status !== 0) r = spawnSync('python3', [...args, '--break-system-packages'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot install pyarrow ${PYARROW} with pip: ${r.stderr}`);
}

interface CheckReport { files: number; rows: number; expected: number; structColumns: string[]; listColumns: string[]; problems: string[]; problemCount: number }

function check(ndjson: string, dir: string): CheckReport {
  const r = spawnSync('python3', [CHECK, ndjson, dir], { env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`parquet_check.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as CheckReport;
}

let dir: string;
beforeAll(() => {
  ensurePyarrow();
  dir = tempDir('map-parquet');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('Parquet output holds exactly the NDJSON output\'s events, nested as structs and lists', async () => {
  const ndjson = path.join(dir, 'events.ndjson');
  const out = path.join(dir, 'parquet');
  fs.writeFileSync(ndjson, '');
  for (const [source, file] of INPUTS) {
    const args = ['map', '--source', source, path.join(FIXTURES, file), '--tenant-id', TENANT, '--observed-at', '2026-11-02T10:00:00Z'];
    const text = await runCliProcess(args);
    expect(text.code).toBe(0);
    expect(text.stderr).not.toMatch(/cannot map|invalid OCSF event/);
    fs.appendFileSync(ndjson, text.stdout);
    const parquet = await runCliProcess([...args, '--format', 'parquet', '--out', out, '--account-id', '123456789012', '--region', 'eu-west-1']);
    expect(parquet.code).toBe(0);
    expect(parquet.stderr).toMatch(/wrote \d+ events in \d+ Parquet file/);
  }
  const report = check(ndjson, out);
  expect(report.problems).toEqual([]);
  expect(report.rows).toBe(report.expected);
  expect(report.expected).toBeGreaterThan(1000);
  // Six classes, one file each (all fixtures are of one day), under their custom sources.
  const classes = fs.readdirSync(path.join(out, 'ext')).sort();
  expect(classes).toEqual(['entra-account-change', 'entra-authentication', 'entra-entity-management', 'entra-group-management', 'entra-user-access', 'entra-user-inventory']);
  expect(fs.readdirSync(path.join(out, 'ext', 'entra-authentication'))).toEqual(['region=eu-west-1']);
  expect(fs.readdirSync(path.join(out, 'ext', 'entra-authentication', 'region=eu-west-1'))).toEqual(['accountId=123456789012']);
  expect(report.structColumns).toEqual(expect.arrayContaining(['metadata', 'actor', 'user', 'src_endpoint']));
  expect(report.listColumns).toEqual(expect.arrayContaining(['observables']));

  // Deterministic names: mapping again replaces the same files instead of adding copies.
  const before = listFiles(out);
  const again = await runCliProcess(['map', '--source', 'directoryAudits', path.join(FIXTURES, INPUTS[0]![1]), '--tenant-id', TENANT, '--format', 'parquet', '--out', out, '--account-id', '123456789012', '--region', 'eu-west-1']);
  expect(again.code).toBe(0);
  expect(listFiles(out)).toEqual(before);
  expect(check(ndjson, out).problems).toEqual([]);

  // Control: the comparison finds an event missing from the Parquet side and one whose nested field differs.
  const lines = fs.readFileSync(ndjson, 'utf8').split('\n').filter(Boolean);
  const tampered = JSON.parse(lines[0]!) as { metadata: { uid: string }; actor?: { user?: { uid?: string } } };
  tampered.actor = { ...tampered.actor, user: { ...tampered.actor?.user, uid: 'someone-else' } };
  const extra = { ...JSON.parse(lines[1]!), metadata: { ...JSON.parse(lines[1]!).metadata, uid: 'not-in-parquet' } };
  const control = path.join(dir, 'control.ndjson');
  fs.writeFileSync(control, [JSON.stringify(tampered), JSON.stringify(extra), ...lines.slice(1)].join('\n'));
  const caught = check(control, out).problems.join('\n');
  expect(caught).toContain(`${tampered.metadata.uid}: differs in ['actor']`);
  expect(caught).toContain('not-in-parquet: in the NDJSON output but not in Parquet');
});

test('--format parquet without --out, or with a bad account id, is a usage error', async () => {
  const file = path.join(FIXTURES, INPUTS[1]![1]);
  const noOut = await runCliProcess(['map', '--source', 'signIns', file, '--format', 'parquet']);
  expect(noOut.code).not.toBe(0);
  expect(noOut.stderr).toContain('--format parquet needs --out DIR');
  const badAccount = await runCliProcess(['map', '--source', 'signIns', file, '--format', 'parquet', '--out', dir, '--account-id', '12']);
  expect(badAccount.stderr).toContain('--account-id must be 12 digits');
});

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else out.push(path.relative(root, path.join(d, e.name)));
    }
  };
  walk(root);
  return out.sort();
}
