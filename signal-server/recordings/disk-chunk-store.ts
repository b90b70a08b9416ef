import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ChunkMissingError, ChunkTooLargeError, type ChunkStore, type StagedChunk } from './chunk-store.js';
import { isRecordingId } from './recording-id.js';
import { StagingLedger } from './staging-ledger.js';

const TEMP_SUFFIX = '.tmp';
/** Body pieces (16–64 KiB each off the socket) are written in batches of about this size, bytes: fewer syscalls. */
const WRITE_BATCH_BYTES = 1024 * 1024;

/** fsync of a folder, so that a rename or a new entry in it survives a crash (POSIX rename(2) + fsync(2)). */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Chunks as files on local disk: `<root>/<recordingId>/<seq>.chunk`.
 *
 * A chunk is first streamed into `<seq>.<bootId>.<random>.tmp` in the same
 * folder, then `commit` does fsync(file) → rename → fsync(folder), so after a
 * crash a chunk file is either whole or absent, never half-written under its
 * final name. Temp files carry the id of the process that made them, so
 * `removeStaleStaged` removes exactly the leftovers of earlier processes.
 */
export class DiskChunkStore implements ChunkStore {
  private readonly bootId = randomBytes(6).toString('hex');
  private readonly ledger = new StagingLedger();

  constructor(private readonly root: string) {}

  private folder(recordingId: string): string {
    if (!isRecordingId(recordingId)) throw new Error(`not a recording id: ${recordingId}`);
    return path.join(this.root, recordingId);
  }

  private file(recordingId: string, seq: number): string {
    return path.join(this.folder(recordingId), `${seq}.chunk`);
  }

  async stage(
    recordingId: string,
    seq: number,
    body: AsyncIterable<Uint8Array>,
    maxBytes: number,
  ): Promise<StagedChunk> {
    const settle = this.ledger.begin(recordingId);
    try {
      await this.ledger.afterDeletion(recordingId);
      return await this.write(recordingId, seq, body, maxBytes, settle);
    } catch (error) {
      settle();
      throw error;
    }
  }

  /** `stage` without the bookkeeping; `settle` runs once the chunk is committed or discarded. */
  private async write(
    recordingId: string,
    seq: number,
    body: AsyncIterable<Uint8Array>,
    maxBytes: number,
    settle: () => void,
  ): Promise<StagedChunk> {
    const dir = this.folder(recordingId);
    const created = await mkdir(dir, { recursive: true });
    if (created !== undefined) await syncDir(path.dirname(dir));
    const temp = path.join(dir, `${seq}.${this.bootId}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
    const hash = createHash('sha256');
    let sizeBytes = 0;
    const handle = await open(temp, 'wx', 0o640);
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      await handle.writev(pending);
      pending = [];
      pendingBytes = 0;
    };
    try {
      for await (const piece of body) {
        sizeBytes += piece.byteLength;
        if (sizeBytes > maxBytes) throw new ChunkTooLargeError(maxBytes);
        hash.update(piece);
        pending.push(piece);
        pendingBytes += piece.byteLength;
        if (pendingBytes >= WRITE_BATCH_BYTES) await flush();
      }
      await flush();
      await handle.datasync();
    } catch (error) {
      await handle.close();
      await unlink(temp);
      throw error;
    }
    await handle.close();
    const final = this.file(recordingId, seq);
    return {
      sizeBytes,
      sha256: hash.digest('hex'),
      async commit() {
        try {
          await rename(temp, final);
          await syncDir(dir);
        } finally {
          settle();
        }
      },
      async discard() {
        try {
          await unlink(temp).catch((error: unknown) => {
            if (!isMissing(error)) throw error;
          });
        } finally {
          settle();
        }
      },
    };
  }

  async read(recordingId: string, seq: number): Promise<Readable> {
    try {
      const handle = await open(this.file(recordingId, seq), 'r');
      return handle.createReadStream();
    } catch (error) {
      if (isMissing(error)) throw new ChunkMissingError(recordingId, seq);
      throw error;
    }
  }

  async deleteRecording(recordingId: string): Promise<void> {
    await this.ledger.deleting(recordingId, rm(this.folder(recordingId), { recursive: true, force: true, maxRetries: 3 }));
  }

  async deleteOrphan(recordingId: string): Promise<boolean> {
    if (this.ledger.isStaging(recordingId)) return false;
    await this.deleteRecording(recordingId);
    return true;
  }

  async recordingIds(): Promise<string[]> {
    try {
      const entries = await readdir(this.root, { withFileTypes: true });
      return entries.filter((e) => e.isDirectory() && isRecordingId(e.name)).map((e) => e.name);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  async removeStaleStaged(): Promise<number> {
    let removed = 0;
    for (const id of await this.recordingIds()) {
      const dir = this.folder(id);
      const names = await readdir(dir).catch((error: unknown) => {
        if (isMissing(error)) return [];
        throw error;
      });
      for (const name of names) {
        if (!name.endsWith(TEMP_SUFFIX) || name.split('.')[1] === this.bootId) continue;
        await rm(path.join(dir, name), { force: true });
        removed++;
      }
    }
    return removed;
  }
}
