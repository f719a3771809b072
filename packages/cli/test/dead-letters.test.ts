import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeadLetterWriter, type DeadLetter } from '@entra-ingest/sinks';
import { FileBlobStore } from '@entra-ingest/store';
import { runCli } from '../src/program';
import { captureOutput, type CapturedOutput } from './captured-output';

// `entra-ingest dead-letters` reads the letters from the configured store (here the file store of the data folder),
// where every worker writes them, whichever host it runs on.

let dir: string;
let config: string;
let output: CapturedOutput;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-dead-letters-'));
  config = path.join(dir, 'feeds.yaml');
  const feed = (id: string): string[] => [
    `  - id: ${id}`, '    tenantId: t', '    clientId: c', '    credential: { clientSecret: { env: ACME_SECRET } }',
  ];
  fs.writeFileSync(config, ['temporal: { address: "127.0.0.1:1" }', 'dataDir: data', 'feeds:', ...feed('acme'), ...feed('other'), ''].join('\n'));
  output = captureOutput();
});

afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const letter = (extra: Partial<DeadLetter>): DeadLetter => ({
  reason: 'record has no usable time', feed: 'acme', source: 'signIns', windowStart: '2026-11-01T12:00:00.000Z', recordId: 'r1', payload: { id: 'r1' }, ...extra,
});

async function writeLetters(): Promise<void> {
  const writer = new DeadLetterWriter(new FileBlobStore(path.join(dir, 'data', 'store')), () => new Date('2026-11-02T08:00:00.000Z'));
  await writer.write([
    letter({}),
    letter({ recordId: 'r2', payload: { id: 'r2' } }),
    letter({ source: 'directoryAudits', recordId: 'a1', reason: 'sink siem rejected the event: HTTP 400: bad field' }),
    letter({ feed: 'other', recordId: 'o1' }),
  ]);
}

test('summarises the letters per feed, source and cause, and says where they are', async () => {
  await writeLetters();
  expect(await runCli(['dead-letters', '--config', config])).toBe(0);
  const lines = output.stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^FEED\s+SOURCE\s+LETTERS\s+FIRST\s+LAST\s+CAUSE$/);
  expect(lines.slice(1, 4).map((l) => l.split(/\s{2,}/))).toEqual([
    ['acme', 'directoryAudits', '1', '2026-11-02T08:00:00.000Z', '2026-11-02T08:00:00.000Z', 'sink siem rejected the event'],
    ['acme', 'signIns', '2', '2026-11-02T08:00:00.000Z', '2026-11-02T08:00:00.000Z', 'record has no usable time'],
    ['other', 'signIns', '1', '2026-11-02T08:00:00.000Z', '2026-11-02T08:00:00.000Z', 'record has no usable time'],
  ]);
  expect(lines[4]).toMatch(/^4 dead letters under dead-letters\/ in .*store; --show prints them$/);
});

test('--feed/--source narrow it; --show prints each letter whole as NDJSON', async () => {
  await writeLetters();
  expect(await runCli(['dead-letters', '--config', config, '--feed', 'acme', '--source', 'signIns', '--show'])).toBe(0);
  const shown = output.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(shown.map((l) => l.recordId).sort()).toEqual(['r1', 'r2']);
  expect(shown[0]).toMatchObject({ feed: 'acme', source: 'signIns', reason: 'record has no usable time', writtenAt: '2026-11-02T08:00:00.000Z', payload: { id: expect.any(String) } });
});

test('no letters, an unknown feed, --source without --feed', async () => {
  expect(await runCli(['dead-letters', '--config', config])).toBe(0);
  expect(output.stdout).toMatch(/^no dead letters under dead-letters\//);
  expect(await runCli(['dead-letters', '--config', config, '--feed', 'nope'])).toBe(2);
  expect(output.stderr).toMatch(/nope/);
  expect(await runCli(['dead-letters', '--config', config, '--source', 'signIns'])).toBe(2);
  expect(output.stderr).toMatch(/--source needs --feed/);
});
