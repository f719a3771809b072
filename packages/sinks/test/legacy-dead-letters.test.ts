import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileBlobStore } from '@entra-ingest/store';
import { IMPORTED_SUFFIX, importLegacyDeadLetters, legacyLetter, readDeadLetters } from '../src';

// Dead letters an earlier version wrote as NDJSON files on the worker's disk are imported into the store when a
// worker of this version starts: listed by `dead-letters`, resendable, each with the time it was first written.

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'legacy-letters-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const line = (writtenAt: string, recordId: string, reason = 'sink siem rejected the event: HTTP 400: bad'): string =>
  JSON.stringify({ writtenAt, reason, feed: 'acme', source: 'directoryAudits', windowStart: '2026-10-01T12:00:00.000Z', recordId, payload: `{"class_uid":3004,"id":"${recordId}"}` });

function legacyFile(day: string, name: string, lines: string[]): string {
  const folder = path.join(dir, 'data', 'dead-letter', 'acme', day);
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('imports every letter with its first-written time, renames the files it read whole, and reports lines that are not letters', async () => {
  const store = new FileBlobStore(path.join(dir, 'store'));
  const whole = legacyFile('2026-10-01', 'directoryAudits-20261001T120000Z-20261001T130501Z.ndjson', [
    line('2026-10-01T13:05:01.000Z', 'a'), line('2026-10-01T13:05:01.000Z', 'b'),
  ]);
  const damaged = legacyFile('2026-10-02', 'directoryAudits-20261001T120000Z-20261002T080000Z.ndjson', [
    line('2026-10-02T08:00:00.000Z', 'c'), '{"writtenAt": "2026-10-02T08:00:00.000Z", "tru', line('2026-10-02T08:00:00.000Z', 'a'),
  ]);
  // The control: the store's listing does not see letters on the worker's disk.
  expect(await readDeadLetters(store)).toEqual([]);

  const r = await importLegacyDeadLetters(store, path.join(dir, 'data'));
  expect(r).toEqual({ files: 2, written: 3, existing: 1, unreadable: [{ file: damaged, line: 2, why: 'not JSON' }] });
  const letters = await readDeadLetters(store);
  expect(letters.map((l) => [l.recordId, l.writtenAt])).toEqual([
    ['a', '2026-10-01T13:05:01.000Z'], ['b', '2026-10-01T13:05:01.000Z'], ['c', '2026-10-02T08:00:00.000Z'],
  ]);
  expect(letters[0]).toMatchObject({ feed: 'acme', source: 'directoryAudits', reason: 'sink siem rejected the event: HTTP 400: bad', payload: '{"class_uid":3004,"id":"a"}' });
  expect(fs.existsSync(`${whole}${IMPORTED_SUFFIX}`) && !fs.existsSync(whole)).toBe(true);
  expect(fs.existsSync(damaged)).toBe(true);

  // Again (the next start): the renamed file is not read; the damaged one is, and adds nothing.
  expect(await importLegacyDeadLetters(store, path.join(dir, 'data'))).toMatchObject({ files: 1, written: 0, existing: 2 });
  expect(await readDeadLetters(store)).toHaveLength(3);
});

test('no legacy folder: nothing to do', async () => {
  expect(await importLegacyDeadLetters(new FileBlobStore(path.join(dir, 'store')), path.join(dir, 'data'))).toEqual({ files: 0, written: 0, existing: 0, unreadable: [] });
});

test('a line is a letter only with its reason, feed, source, window and a written time', () => {
  expect(legacyLetter('[1]')).toEqual({ why: 'not a JSON object' });
  expect(legacyLetter('{"reason":"x","feed":"f","source":"s","windowStart":"w"}')).toEqual({ why: 'no writtenAt time' });
  expect(legacyLetter('{"writtenAt":"2026-10-01T00:00:00Z","feed":"f","source":"s","windowStart":"w"}')).toEqual({ why: 'no reason' });
  expect(legacyLetter(line('2026-10-01T13:05:01.000Z', 'a'))).toMatchObject({ writtenAt: '2026-10-01T13:05:01.000Z', letter: { recordId: 'a' } });
});
