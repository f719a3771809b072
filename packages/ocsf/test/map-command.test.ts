import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { registerMapCommand } from '../../cli/src/commands/map';
import { exitCodeFor } from '../../cli/src/errors';
import type { AllowedFinding } from '../src';
import { FIXTURES } from './helpers';

/**
 * `entra-ingest map` through commander, as the CLI runs it (registerMapCommand + the CLI's exit-code rules), with
 * stdout/stderr captured. Real files in a temp dir.
 */
async function runMap(args: string[], allowList?: AllowedFinding[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const w1 = jest.spyOn(process.stdout, 'write').mockImplementation((s: any) => (out.push(String(s)), true));
  const w2 = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => (err.push(String(s)), true));
  const program = new Command('entra-ingest').exitOverride();
  registerMapCommand(program, allowList);
  program.commands.forEach((c) => c.exitOverride());
  let code = 0;
  try {
    await program.parseAsync(['map', ...args], { from: 'user' });
  } catch (e) {
    code = exitCodeFor(e);
    if (!(e as { code?: string }).code?.startsWith('commander.')) err.push(String((e as Error).message));
  } finally {
    w1.mockRestore();
    w2.mockRestore();
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'map-cmd-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const audit = (id: string) => ({
  id, activityDisplayName: 'Add user', category: 'UserManagement', activityDateTime: '2026-03-02T09:15:27.4861234Z', result: 'success',
  targetResources: [{ id: `u-${id}`, type: 'User', userPrincipalName: `${id}@contoso.com` }],
});

test('a Graph page → one event per record, in input order, exit 0, valid with --validate', async () => {
  const r = await runMap(['--source', 'signIns', '--validate', '--tenant-id', 'tenant-1', path.join(FIXTURES, 'graph/signIns-list-example.json')]);
  expect(r.code).toBe(0);
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  expect(events.map((e) => e.metadata.uid)).toEqual(['66ea54eb-6301-4ee5-be62-ff5a759b0100']);
  expect(events[0].metadata.tenant_uid).toBe('tenant-1');
});

test('a JSON array and NDJSON give the same events', async () => {
  const records = [audit('a'), audit('b'), audit('c')];
  const arr = await runMap(['--source', 'directoryAudits', write('arr.json', JSON.stringify(records, null, 2))]);
  const nd = await runMap(['--source', 'directoryAudits', write('recs.ndjson', records.map((x) => JSON.stringify(x)).join('\n') + '\n')]);
  expect(arr.code).toBe(0);
  expect(nd.stdout).toBe(arr.stdout);
  expect(arr.stdout.trim().split('\n').map((l) => JSON.parse(l).metadata.uid)).toEqual(['a', 'b', 'c']);
});

test('--raw-data adds the record', async () => {
  const r = await runMap(['--source', 'directoryAudits', '--raw-data', write('one.json', JSON.stringify([audit('z')]))]);
  expect(JSON.parse(JSON.parse(r.stdout).raw_data)).toEqual(audit('z'));
});

test('an unmappable record: stderr names its index and reason, the rest is mapped, exit 1', async () => {
  const records = [audit('a'), { id: 'bad', activityDisplayName: 'Add user', activityDateTime: 'not a time' }, audit('c')];
  const r = await runMap(['--source', 'directoryAudits', write('mixed.json', JSON.stringify({ value: records }))]);
  expect(r.code).toBe(1);
  expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).metadata.uid)).toEqual(['a', 'c']);
  expect(r.stderr).toMatch(/record 1: cannot map: activityDateTime/);
});

test('unreadable input exits 2 with the line and column', async () => {
  const r = await runMap(['--source', 'directoryAudits', write('broken.json', '{\n  "value": [\n    {"id": 1,,}\n  ]\n}\n')]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/line 3, column \d+/);
  const nd = await runMap(['--source', 'directoryAudits', write('broken.ndjson', `${JSON.stringify(audit('a'))}\n{"id": oops}\n`)]);
  expect(nd.code).toBe(2);
  expect(nd.stderr).toMatch(/line 2/);
});

test('a missing file and an unknown source are usage errors (exit 2)', async () => {
  expect((await runMap(['--source', 'directoryAudits', path.join(dir, 'nope.json')])).code).toBe(2);
  expect((await runMap(['--source', 'auditEvents', path.join(dir, 'arr.json')])).code).toBe(2);
});

describe('OCSF semantic warnings', () => {
  // Our mapping leaves nothing outside the reviewed allow-list (the corpus test proves it), so these runs use an
  // empty list: the "Update user" sample then lacks user_result and src_endpoint (no IP) and has no status_detail.
  const updateUser = path.join(FIXTURES, 'graph/directoryAudit-beta-update-user-example.json');

  test('are printed on stderr with the record, summarised, and do not fail the run', async () => {
    const r = await runMap(['--source', 'directoryAudits', updateUser], []);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('record 0: warning attribute_recommended_missing at user_result');
    expect(r.stderr).toMatch(/OCSF semantic check: 3 findings in 1 of 1 events: .*1× attribute_recommended_missing user_result/);
  });

  test('--strict fails on any, still printing the events', async () => {
    const r = await runMap(['--source', 'directoryAudits', '--strict', updateUser], []);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--strict: 3 OCSF semantic findings in 1 events');
  });

  test('--strict with the reviewed allow-list passes a clean run silently', async () => {
    for (const [source, file] of [['signIns', 'corpus/signIns-variants.json'], ['directoryAudits', 'graph/directoryAudit-beta-update-user-example.json']]) {
      const r = await runMap(['--source', source, '--strict', '--validate', path.join(FIXTURES, file)]);
      expect([r.code, r.stderr]).toEqual([0, '']);
    }
  });
});
