import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { compactTime, keySegment, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '@entra-ingest/store';

/** Something that could not be turned into an event or delivered, kept with enough context to act on it. */
export interface DeadLetter {
  reason: string;
  feed: string;
  source: string;
  windowStart: string;
  recordId?: string;
  index?: number;
  payload?: unknown;
}

function serialize(entry: DeadLetter, writtenAt: string): string {
  const line = { writtenAt, ...entry };
  try {
    return JSON.stringify(line);
  } catch (err) {
    // A payload that cannot be serialised (cycle, BigInt) must not lose the rest of the letter.
    return JSON.stringify({ ...line, payload: `[unserializable payload: ${(err as Error).message}]` });
  }
}

/**
 * NDJSON files under `<dataDir>/dead-letter/<feed>/<yyyy-mm-dd>/` (the UTC day of writing). Each call writes a new
 * file: written under a temp name, then hard-linked to its final name, which fails rather than replaces if the name
 * is taken — so an existing dead-letter file is never overwritten or seen half-written.
 */
export class DeadLetterWriter {
  readonly root: string;

  constructor(dataDir: string, private readonly now: () => Date = () => new Date()) {
    this.root = path.resolve(dataDir, 'dead-letter');
  }

  /** Writes the entries (all of one feed) to a new file and returns its path. */
  async write(entries: DeadLetter[]): Promise<string> {
    if (!entries.length) throw new Error('dead letters: nothing to write');
    const feed = entries[0].feed;
    const other = entries.find((e) => e.feed !== feed);
    if (other) throw new Error(`dead letters: one write holds one feed's entries, got "${feed}" and "${other.feed}"`);
    const now = this.now();
    const writtenAt = now.toISOString();
    const dir = path.join(this.root, keySegment(feed), writtenAt.slice(0, 10));
    if (!dir.startsWith(this.root + path.sep)) throw new Error(`dead letters: folder for feed ${JSON.stringify(feed)} leaves ${this.root}`);
    await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const first = entries[0];
    const window = Number.isNaN(Date.parse(first.windowStart)) ? 'unknown-window' : compactTime(first.windowStart);
    const stem = `${keySegment(first.source)}-${window}-${compactTime(writtenAt)}`;
    const text = `${entries.map((e) => serialize(e, writtenAt)).join('\n')}\n`;
    const temp = path.join(dir, `.${stem}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
    const handle = await fs.open(temp, 'wx', PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      for (;;) {
        const file = path.join(dir, `${stem}-${crypto.randomBytes(4).toString('hex')}.ndjson`);
        try {
          await fs.link(temp, file);
          return file;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
      }
    } finally {
      await fs.rm(temp, { force: true });
    }
  }
}
