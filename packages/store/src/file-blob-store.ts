import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BlobNotFoundError, type BlobStore } from './blob-store';
import { assertSafeKey, isSafeSegment } from './keys';

/** '~' is outside the key alphabet, so a temp file can never be mistaken for (or collide with) a blob. */
const TEMP_MARK = '~tmp~';

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Writes bytes to `file` atomically and durably: a temp file in the same folder, fsynced, renamed over the target,
 * then the folder fsynced so the rename itself survives a crash. Readers never see a partial file.
 */
export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const temp = `${file}${TEMP_MARK}${process.pid}-${crypto.randomBytes(6).toString('hex')}`;
  try {
    const handle = await fs.open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
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

  async deletePrefix(prefix: string): Promise<number> {
    const folder = this.normalizePrefix(prefix);
    if (!folder) throw new Error('deletePrefix needs a non-empty prefix: refusing to delete the whole store');
    const keys = await this.list(folder);
    await fs.rm(this.fileFor(folder), { recursive: true, force: true });
    return keys.length;
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
