import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { type FileSinkConfig, type Logger, silentLogger } from '@entra-ingest/config';
import { keySegment, PRIVATE_DIR_MODE, writeFileAtomic } from '@entra-ingest/store';
import { assertValidBatch, batchIdentity, batchTimeMs } from './batch';
import { ndjsonChunks } from './ndjson';
import { SinkError, type DeliveryResult, type EventBatch, type Sink, type SinkDeps } from './types';

/** Root folder: `<dataDir>/ocsf` by default; a relative root is relative to the data folder. */
export function fileSinkRoot(config: Pick<FileSinkConfig, 'root'>, dataDir: string): string {
  return path.resolve(dataDir, config.root ?? 'ocsf');
}

/**
 * `<className>/<yyyy>/<mm>/<dd>/<feed>-<source>-<windowStartCompact>-<contentKey>.ndjson[.gz]`, relative to the root:
 * the content key is a hash of the batch's record ids, so the same records always land in the same file. Every component taken from the batch is one encoded segment, and the date comes from a number, so no input
 * can add a folder level or climb out of the root.
 */
export function fileSinkRelativePath(batch: EventBatch, gzipped: boolean): string {
  const id = batchIdentity(batch);
  const day = new Date(batchTimeMs(batch)).toISOString();
  const name = `${id.feed}-${id.source}-${id.window}-${id.content}.ndjson${gzipped ? '.gz' : ''}`;
  return path.join(keySegment(batch.className), day.slice(0, 4), day.slice(5, 7), day.slice(8, 10), name);
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * NDJSON files, one per batch, named by content. The bytes are a pure function of the batch, and a file is written
 * to a temp name then renamed, so delivering the same batch again replaces the file with identical bytes:
 * idempotent, and a reader never sees half a file.
 */
export class FileSink implements Sink {
  readonly type = 'file';
  readonly id: string;
  readonly root: string;
  private readonly gzip: boolean;
  private readonly logger: Logger;

  constructor(config: FileSinkConfig, deps: SinkDeps) {
    this.id = config.id;
    this.gzip = config.gzip;
    this.root = fileSinkRoot(config, path.resolve(deps.dataDir));
    this.logger = deps.logger ?? silentLogger;
  }

  async deliver(batch: EventBatch, signal?: AbortSignal): Promise<DeliveryResult> {
    assertValidBatch(batch);
    signal?.throwIfAborted();
    const file = path.resolve(this.root, fileSinkRelativePath(batch, this.gzip));
    if (!isInside(this.root, file)) {
      throw new SinkError(`file sink ${this.id}: path for feed ${JSON.stringify(batch.feed)} resolves outside ${this.root}`, { retryable: false });
    }
    if (batch.events.length === 0) return { sinkId: this.id, delivered: 0, location: file };
    // Written chunk by chunk (compressed on the way when gzip): a part's file is never whole in memory.
    const chunks = ndjsonChunks(batch.events);
    const bytes = this.gzip ? Readable.from(chunks).pipe(createGzip()) : chunks;
    try {
      await this.makeFoldersInside(path.dirname(file));
      await writeFileAtomic(file, bytes);
    } catch (err) {
      if (err instanceof SinkError) throw err;
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      // A name the filesystem refuses stays refused: retrying would only repeat the failure forever.
      if (code === 'ENAMETOOLONG') {
        throw new SinkError(`file sink ${this.id}: the file name for feed ${JSON.stringify(batch.feed)} / source ${JSON.stringify(batch.source)} is longer than the filesystem allows (${path.basename(file).length} characters)`, { retryable: false, cause: err });
      }
      throw new SinkError(`file sink ${this.id}: cannot write ${file}: ${code}`, { retryable: true, cause: err });
    }
    this.logger.debug('wrote events', { sink: this.id, file, events: batch.events.length });
    return { sinkId: this.id, delivered: batch.events.length, location: file };
  }

  /**
   * Creates the partition folders one level at a time below the root, refusing any level that is a symbolic link:
   * a link planted inside the root must not redirect writes elsewhere (the root itself may be a link).
   */
  private async makeFoldersInside(dir: string): Promise<void> {
    await fs.mkdir(this.root, { recursive: true, mode: PRIVATE_DIR_MODE });
    let current = this.root;
    for (const part of path.relative(this.root, dir).split(path.sep)) {
      current = path.join(current, part);
      try {
        await fs.mkdir(current, { mode: PRIVATE_DIR_MODE });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const stat = await fs.lstat(current);
      if (!stat.isDirectory()) {
        throw new SinkError(`file sink ${this.id}: ${current} is not a folder (symbolic link?): it would lead outside ${this.root}`, { retryable: false });
      }
    }
  }

  async close(): Promise<void> {
    // nothing held open between deliveries
  }
}
