// Versions before dead letters moved into the blob store wrote them as NDJSON files on each worker's disk, under
// <dataDir>/dead-letter/<feed>/<yyyy-mm-dd>/*.ndjson. A worker of this version imports those it finds into the store
// when it starts, so `dead-letters` lists them and `--resend` can send them; each file imported is renamed with
// IMPORTED_SUFFIX (kept, never deleted), so a restart does not read it again.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from '@entra-ingest/store';
import { DeadLetterWriter, type DeadLetter } from './dead-letter';

export const LEGACY_DEAD_LETTER_DIR = 'dead-letter';
export const IMPORTED_SUFFIX = '.imported';

export interface LegacyImport {
  files: number;
  /** Letters written to the store, and those it held already (the same record and cause). */
  written: number;
  existing: number;
  /** Lines that are not letters, with where they are: left in their file, which is then not renamed. */
  unreadable: { file: string; line: number; why: string }[];
}

async function ndjsonFiles(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir, { recursive: true })).filter((f) => f.endsWith('.ndjson')).sort().map((f) => path.join(dir, f));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** One line of a legacy file as a letter and when it was written, or why it is not one. */
export function legacyLetter(line: string): { letter: DeadLetter; writtenAt: string } | { why: string } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { why: 'not JSON' };
  }
  const o = v as Partial<DeadLetter> & { writtenAt?: unknown };
  if (!o || typeof o !== 'object' || Array.isArray(o)) return { why: 'not a JSON object' };
  for (const field of ['reason', 'feed', 'source', 'windowStart'] as const) {
    if (typeof o[field] !== 'string') return { why: `no ${field}` };
  }
  if (typeof o.writtenAt !== 'string' || Number.isNaN(Date.parse(o.writtenAt))) return { why: 'no writtenAt time' };
  const { writtenAt, ...letter } = o as DeadLetter & { writtenAt: string };
  return { letter, writtenAt };
}

/** Imports the legacy dead-letter files under `dataDir` into the store (see the top of this file). */
export async function importLegacyDeadLetters(store: BlobStore, dataDir: string): Promise<LegacyImport> {
  const out: LegacyImport = { files: 0, written: 0, existing: 0, unreadable: [] };
  for (const file of await ndjsonFiles(path.join(dataDir, LEGACY_DEAD_LETTER_DIR))) {
    const byTime = new Map<string, DeadLetter[]>();
    let bad = 0;
    (await fs.readFile(file, 'utf8')).split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      const r = legacyLetter(line);
      if ('why' in r) {
        bad++;
        out.unreadable.push({ file, line: i + 1, why: r.why });
        return;
      }
      const group = byTime.get(r.writtenAt) ?? [];
      group.push(r.letter);
      byTime.set(r.writtenAt, group);
    });
    // Each letter keeps the time it was first written (the listing's order and FIRST/LAST columns).
    for (const [writtenAt, letters] of byTime) {
      const w = await new DeadLetterWriter(store, () => new Date(writtenAt)).write(letters);
      out.written += w.written;
      out.existing += w.existing;
    }
    out.files++;
    if (bad === 0) await fs.rename(file, `${file}${IMPORTED_SUFFIX}`);
  }
  return out;
}
