import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BlobNotFoundError, type BlobStore, type VersionedBlob } from './blob-store';
import { assertSafeKey, isSafeSegment } from './keys';

/** '~' is outside the key alphabet, so a temp file can never be mistaken for (or collide with) a blob. */
const TEMP_MARK = '~tmp~';

/** Beside a blob while one writer compares and swaps it; '~' keeps it out of listings like a temp file. */
const LOCK_MARK = '~lock';
/**
 * A compare-and-swap holds its lock for one read and one atomic write (milliseconds). A lock older than this was
 * left by a process that died holding it, and is broken so the key does not stay blocked.
 */
export const STALE_LOCK_MS = 15_000;

/** The version of a file blob: a hash of its content, so equal content has the same version on every host. */
export function contentVersion(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Claim checks, OCSF files and dead letters hold tenant activity: readable by the service's own user only. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Writes bytes to `file` atomically and durably: a temp file in the same folder, fsynced, renamed over the target,
 * then the folder fsynced so the rename itself survives a crash. Readers never see a partial file. `data` may come
 * in chunks (an iterable or a stream), written in order, so a large file need not be whole in memory.
 */
export async function writeFileAtomic(file: string, data: string | Buffer | Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = `${file}${TEMP_MARK}${process.pid}-${crypto.randomBytes(6).toString('hex')}`;
  try {
    const handle = await fs.open(temp, 'wx', PRIVATE_FILE_MODE);
    try {
      if (typeof data === 'string' || Buffer.isBuffer(data)) await handle.writeFile(data);
      else {
        for await (const chunk of data) {
          for (let at = 0; at < chunk.length;) at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/** Best effort: some filesystems refuse fsync on a directory, and the data itself is already safe. */
async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // ignored on purpose, see above
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Blobs as files under one root folder; a key's segments are its folders and file name. */
export class FileBlobStore implements BlobStore {
  readonly root: string;

  constructor(root: string) {
    if (!root) throw new Error('FileBlobStore needs a root folder');
    this.root = path.resolve(root);
  }

  async put(key: string, data: string | Buffer): Promise<void> {
    await writeFileAtomic(this.fileFor(key), data);
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.fileFor(key));
    } catch (err) {
      if (['ENOENT', 'EISDIR', 'ENOTDIR'].includes(errno(err) ?? '')) throw new BlobNotFoundError(key);
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await fs.stat(this.fileFor(key))).isFile();
    } catch (err) {
      if (['ENOENT', 'ENOTDIR'].includes(errno(err) ?? '')) return false;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const folder = this.normalizePrefix(prefix);
    const keys: string[] = [];
    await this.walk(folder ? this.fileFor(folder) : this.root, folder, keys);
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.fileFor(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<number> {
    const folder = this.normalizePrefix(prefix);
    if (!folder) throw new Error('deletePrefix needs a non-empty prefix: refusing to delete the whole store');
    const keys = await this.list(folder);
    await fs.rm(this.fileFor(folder), { recursive: true, force: true });
    return keys.length;
  }

  async getVersioned(key: string): Promise<VersionedBlob | undefined> {
    try {
      const data = await this.get(key);
      return { data, version: contentVersion(data) };
    } catch (err) {
      if (err instanceof BlobNotFoundError) return undefined;
      throw err;
    }
  }

  async putIfVersion(key: string, data: string | Buffer, expectedVersion: string | null): Promise<string | undefined> {
    const file = this.fileFor(key);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    await fs.mkdir(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
    const lock = await acquireLock(`${file}${LOCK_MARK}`);
    try {
      const current = await this.getVersioned(key);
      if ((current?.version ?? null) !== expectedVersion) return undefined;
      // A holder stalled past STALE_LOCK_MS may have lost its lock to a breaker: it must not write then.
      if (!(await lock.stillHeld())) return undefined;
      await writeFileAtomic(file, bytes);
      return contentVersion(bytes);
    } finally {
      await lock.release();
    }
  }

  private normalizePrefix(prefix: string): string {
    const folder = prefix.replace(/\/+$/, '');
    if (folder) assertSafeKey(folder);
    return folder;
  }

  private fileFor(key: string): string {
    assertSafeKey(key);
    const file = path.join(this.root, ...key.split('/'));
    // Defence in depth: assertSafeKey already makes this impossible.
    if (!file.startsWith(this.root + path.sep)) throw new Error(`blob key "${key}" resolves outside the store root`);
    return file;
  }

  private async walk(dir: string, keyPrefix: string, into: string[]): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (['ENOENT', 'ENOTDIR'].includes(errno(err) ?? '')) return;
      throw err;
    }
    for (const entry of entries) {
      if (!isSafeSegment(entry.name)) continue; // temp files and anything not written through the store
      const key = keyPrefix ? `${keyPrefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await this.walk(path.join(dir, entry.name), key, into);
      else if (entry.isFile()) into.push(key);
    }
  }
}

interface HeldLock {
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function readToken(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if (errno(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * A lock file created with O_EXCL: exactly one process (on any host sharing the folder) creates it. Waiters poll
 * with a short random delay; a lock older than STALE_LOCK_MS is broken by renaming it away and checking that the
 * renamed file is the stale one (if a fresh lock was taken in between, it is put back).
 */
async function acquireLock(lockFile: string): Promise<HeldLock> {
  const token = `${process.pid}-${crypto.randomBytes(8).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await fs.open(lockFile, 'wx', PRIVATE_FILE_MODE);
      try {
        await handle.writeFile(token);
      } finally {
        await handle.close();
      }
      return {
        stillHeld: async () => (await readToken(lockFile)) === token,
        release: async () => {
          if ((await readToken(lockFile)) === token) await fs.rm(lockFile, { force: true });
        },
      };
    } catch (err) {
      if (errno(err) !== 'EEXIST') throw err;
    }
    await breakIfStale(lockFile);
    await sleep(1 + Math.random() * Math.min(50, 2 + attempt * 2));
  }
}

async function breakIfStale(lockFile: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(lockFile);
  } catch (err) {
    if (errno(err) === 'ENOENT') return;
    throw err;
  }
  if (Date.now() - stat.mtimeMs < STALE_LOCK_MS) return;
  const staleToken = await readToken(lockFile);
  const aside = `${lockFile}~broken~${crypto.randomBytes(6).toString('hex')}`;
  try {
    await fs.rename(lockFile, aside);
  } catch (err) {
    if (errno(err) === 'ENOENT') return; // another waiter broke it first
    throw err;
  }
  if ((await readToken(aside)) !== staleToken) {
    // We moved a lock taken after our look: give it back (unless yet another lock exists by now).
    await fs.link(aside, lockFile).catch(() => undefined);
  }
  await fs.rm(aside, { force: true });
}
