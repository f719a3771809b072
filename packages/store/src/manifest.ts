import { BlobNotFoundError, type BlobStore } from './blob-store';
import { compactTime, keySegment } from './keys';

/** One ingestion window of one source of one feed. */
export interface WindowRef {
  feed: string;
  source: string;
  windowStart: string; // ISO
  windowEnd: string; // ISO
}

/** Where everything about one window lives: `windows/<feed>/<source>/<windowStartCompact>`. */
export function windowPrefix(w: WindowRef): string {
  return `windows/${keySegment(w.feed)}/${keySegment(w.source)}/${compactTime(w.windowStart)}`;
}

const PASS_BLOB = /^p(\d+)\.ids$/;

/** Serialises read-merge-write of one manifest blob within this process (keyed per store instance). */
const inFlight = new WeakMap<BlobStore, Map<string, Promise<void>>>();

async function exclusively(store: BlobStore, key: string, work: () => Promise<void>): Promise<void> {
  let perStore = inFlight.get(store);
  if (!perStore) inFlight.set(store, (perStore = new Map()));
  const previous = perStore.get(key) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(work);
  const tail = current.catch(() => undefined);
  perStore.set(key, tail);
  try {
    await current;
  } finally {
    if (perStore.get(key) === tail) perStore.delete(key);
  }
}

function parseIds(blob: Buffer): string[] {
  const text = blob.toString('utf8');
  return text ? text.split('\n') : [];
}

/**
 * Which record ids of a window have reached every sink. A pass records its ids only after all its sinks accepted
 * the events, so a later pass (sweep) or a re-run skips them; one blob per pass keeps each write small and atomic.
 * Ids are stored newline-joined: compact, and 100k of them parse in a few milliseconds.
 */
export class DeliveryManifest {
  private readonly folder: string;

  constructor(private readonly store: BlobStore, readonly window: WindowRef) {
    this.folder = `${windowPrefix(window)}/manifest`;
  }

  /** The union of the ids of every recorded pass. */
  async deliveredIds(): Promise<Set<string>> {
    const keys = (await this.store.list(this.folder)).filter((k) => PASS_BLOB.test(k.slice(this.folder.length + 1)));
    const blobs = await Promise.all(keys.map((k) => this.store.get(k).catch((err) => (err instanceof BlobNotFoundError ? Buffer.alloc(0) : Promise.reject(err)))));
    // One join, one split, one Set constructor: the fastest way V8 offers to build a large set of strings.
    const text = blobs.map((b) => b.toString('utf8')).filter(Boolean).join('\n');
    return new Set(text ? text.split('\n') : []);
  }

  /**
   * Records that `ids` were delivered in pass `pass`. Idempotent: recording the same ids again changes nothing, and
   * recording the same pass again with other ids keeps the union (every call means "these were delivered"), so a
   * retried or concurrent call can never make the manifest forget an id.
   */
  async recordPass(pass: number, ids: string[]): Promise<void> {
    if (!Number.isInteger(pass) || pass < 0) throw new RangeError(`pass must be a non-negative integer, got ${pass}`);
    ids.forEach((id, i) => {
      if (typeof id !== 'string' || id === '' || /[\r\n]/.test(id)) {
        throw new TypeError(`record id at index ${i} must be a non-empty string without line breaks, got ${JSON.stringify(id)}`);
      }
    });
    const key = `${this.folder}/p${pass}.ids`;
    await exclusively(this.store, key, async () => {
      let existing: string[] | undefined;
      try {
        existing = parseIds(await this.store.get(key));
      } catch (err) {
        if (!(err instanceof BlobNotFoundError)) throw err;
      }
      const merged = new Set(existing ?? []);
      const before = merged.size;
      for (const id of ids) merged.add(id);
      if (existing && merged.size === before) return; // already recorded: nothing to write
      await this.store.put(key, [...merged].join('\n'));
    });
  }

  /** The recorded pass numbers, ascending. */
  async passes(): Promise<number[]> {
    const passes: number[] = [];
    for (const key of await this.store.list(this.folder)) {
      const match = PASS_BLOB.exec(key.slice(this.folder.length + 1));
      if (match) passes.push(Number(match[1]));
    }
    return passes.sort((a, b) => a - b);
  }
}
