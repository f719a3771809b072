/** A blob with the version the store gave it (S3: its ETag; files: a content hash). */
export interface VersionedBlob {
  data: Buffer;
  version: string;
}

/**
 * Claim-check storage: activities pass keys through workflow history, never the data. The interface is what an
 * object store offers (whole-object put/get, listing by prefix), so an S3-compatible implementation can follow.
 */
export interface BlobStore {
  /** Writes the whole blob atomically: readers see the old content or the new one, never a part. */
  put(key: string, data: string | Buffer): Promise<void>;
  /** Throws BlobNotFoundError when there is no blob under the key. */
  get(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  /** Every key under the "folder" `prefix` (at any depth), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes the blob under `key` (nothing when there is none). */
  delete(key: string): Promise<void>;
  /** Removes every blob under the "folder" `prefix`; returns how many there were. */
  deletePrefix(prefix: string): Promise<number>;
  /** The blob and its current version, or undefined when there is none. */
  getVersioned(key: string): Promise<VersionedBlob | undefined>;
  /**
   * Compare-and-swap: writes only if the blob's current version is `expectedVersion` (null: only if absent).
   * Returns the new version, or undefined when another writer got there first (re-read and retry).
   * Atomic across processes and hosts that share the store; this is what shared indexes build on, not a lock.
   */
  putIfVersion(key: string, data: string | Buffer, expectedVersion: string | null): Promise<string | undefined>;
}

export class BlobNotFoundError extends Error {
  override name = 'BlobNotFoundError';
  constructor(readonly key: string) {
    super(`no blob under key "${key}"`);
  }
}

/** A JSON blob, or undefined when there is none under the key. */
export async function readJsonBlob<T>(store: BlobStore, key: string): Promise<T | undefined> {
  try {
    return JSON.parse((await store.get(key)).toString('utf8')) as T;
  } catch (err) {
    if (err instanceof BlobNotFoundError) return undefined;
    throw err;
  }
}
