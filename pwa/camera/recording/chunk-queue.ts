import { openPeerwatchDb } from '../../shared/db.js';
import type { LocalChunk, LocalRecording } from '../../shared/recording-records.js';
import { Emitter } from '../../shared/emitter.js';
import { log } from '../../shared/logger.js';

/** What is waiting for upload, for the camera's status line. */
export interface QueueSummary {
  chunks: number;
  bytes: number;
  /** Recordings the server refused for good, with the reason (kept on this device). */
  problems: Array<{ recordingId: string; message: string }>;
}

/** The new recording's fields a recorder knows when its init segment arrives. */
export type NewRecording = Pick<LocalRecording, 'id' | 'startedAtMs' | 'mimeType'>;

/** All seqs of one recording, as an IndexedDB key range over `[recordingId, seq]`. */
const chunksOf = (recordingId: string) => IDBKeyRange.bound([recordingId, 0], [recordingId, Infinity]);

/**
 * The camera's upload queue in IndexedDB (stores `recordings` and `chunks`):
 * every chunk is written here before anything else happens to it, and leaves
 * only when the server confirmed it, so recording goes on offline and a
 * reload or browser restart loses nothing that was stored.
 *
 * Adding is one transaction over both stores. Taking chunks out (`confirm`,
 * `drop`) only deletes, so it works when storage is full (a browser refuses
 * writes that need quota, not deletions). The queue's size is read from the
 * `by-recording-size` index with a key cursor, without loading chunk bytes.
 *
 * Dispatches `change` after every change made through this object.
 */
export class ChunkQueue extends Emitter<{ change: void }> {
  /**
   * Recordings ended while storage was too full to write that down: kept here
   * (their newest queued chunk counts as final) and written once `confirm`
   * has freed space.
   */
  private readonly pendingEnds = new Set<string>();

  /**
   * Starts a recording with its init segment (seq 0).
   * @throws Error when a recording with this id exists (ids are random; a repeat is a bug)
   */
  async begin(recording: NewRecording, init: LocalChunk): Promise<void> {
    const db = await openPeerwatchDb();
    const tx = db.transaction(['recordings', 'chunks'], 'readwrite');
    const record: LocalRecording = {
      ...recording,
      nextSeq: 1,
      ended: init.final,
      finalSeq: init.final ? 0 : null,
      uploadProblem: null,
    };
    await Promise.all([tx.objectStore('recordings').add(record), tx.objectStore('chunks').add(init), tx.done]);
    this.changed();
  }

  /**
   * Adds the next chunk of a recording that is still being recorded.
   * @throws Error when the recording is unknown or ended, or `chunk.seq` is not the next seq
   */
  async append(chunk: LocalChunk): Promise<void> {
    const db = await openPeerwatchDb();
    const tx = db.transaction(['recordings', 'chunks'], 'readwrite');
    const recordings = tx.objectStore('recordings');
    const recording = await recordings.get(chunk.recordingId);
    if (!recording || recording.ended || recording.nextSeq !== chunk.seq) {
      tx.abort();
      await tx.done.catch((error: unknown) => {
        // The abort just asked for rejects `done` with AbortError; anything else is worth a note.
        if (!(error instanceof DOMException && error.name === 'AbortError')) log.warn('queue: aborting failed', error);
      });
      throw new Error(`Chunk ${chunk.seq} does not continue recording ${chunk.recordingId}.`);
    }
    const updated: LocalRecording = {
      ...recording,
      nextSeq: chunk.seq + 1,
      ended: chunk.final,
      finalSeq: chunk.final ? chunk.seq : (recording.finalSeq ?? null),
    };
    await Promise.all([recordings.put(updated), tx.objectStore('chunks').add(chunk), tx.done]);
    this.changed();
  }

  /**
   * Ends a recording whose last chunk came without data (or could not be
   * stored): its newest chunk, if still queued, becomes the final one. (If
   * that chunk is on the server already, the server closes the recording when
   * the next one begins.) Only the small recording record is written; if
   * storage is too full even for that, the end is kept in memory until space
   * is freed.
   * @throws IndexedDB errors other than QuotaExceededError
   */
  async end(recordingId: string): Promise<void> {
    try {
      await this.endWhere((recording) => recording.id === recordingId);
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'QuotaExceededError')) throw error;
      this.pendingEnds.add(recordingId);
    }
  }

  /**
   * Ends every recording still marked as being recorded: called when the
   * camera starts, before it records, since a recorder never outlives its page.
   */
  async endAbandoned(): Promise<void> {
    await this.endWhere(() => true);
  }

  private async endWhere(match: (recording: LocalRecording) => boolean): Promise<void> {
    const db = await openPeerwatchDb();
    const tx = db.transaction(['recordings', 'chunks'], 'readwrite');
    const recordings = tx.objectStore('recordings');
    const chunks = tx.objectStore('chunks');
    let changed = false;
    for (const recording of await recordings.getAll()) {
      if (recording.ended || !match(recording)) continue;
      const lastSeq = recording.nextSeq - 1;
      if ((await chunks.getKey(chunksOf(recording.id))) === undefined) {
        await recordings.delete(recording.id);
      } else {
        const lastQueued = (await chunks.getKey([recording.id, lastSeq])) !== undefined;
        const finalSeq = recording.finalSeq ?? (lastQueued ? lastSeq : null);
        await recordings.put({ ...recording, ended: true, finalSeq });
      }
      changed = true;
    }
    await tx.done;
    if (changed) this.changed();
  }

  /**
   * The chunks to upload next, at most `limit`, in seq order: the lowest
   * queued seqs of the oldest recording that has chunks queued and no upload
   * problem; or, given `after`, the queued chunks of that recording past
   * `after.seq` (none once it is parked or gone). Each is `final` when it is
   * its recording's last. Empty when there are none.
   */
  async nextChunks(limit: number, after?: { recordingId: string; seq: number }): Promise<LocalChunk[]> {
    const db = await openPeerwatchDb();
    const tx = db.transaction(['recordings', 'chunks'], 'readonly');
    const chunks = tx.objectStore('chunks');
    const recordings = after
      ? [await tx.objectStore('recordings').get(after.recordingId)]
      : await tx.objectStore('recordings').index('by-start').getAll();
    let found: LocalChunk[] = [];
    for (const recording of recordings) {
      if (!recording || recording.uploadProblem !== null) continue;
      const range = after
        ? IDBKeyRange.bound([recording.id, after.seq], [recording.id, Infinity], true)
        : chunksOf(recording.id);
      const queued = await chunks.getAll(range, limit);
      if (queued.length > 0) {
        found = queued.map((chunk) => ({ ...chunk, final: this.isFinal(recording, chunk) }));
        break;
      }
    }
    await tx.done;
    return found;
  }

  /**
   * Removes a chunk the server confirmed (deletions only). A chunk that became
   * final after it was sent without the final mark stays queued, so it is
   * sent once more with it. A recording that ended and has nothing left is
   * removed too.
   */
  async confirm(recordingId: string, seq: number, sentFinal: boolean): Promise<void> {
    const db = await openPeerwatchDb();
    const tx = db.transaction(['recordings', 'chunks'], 'readwrite');
    const recordings = tx.objectStore('recordings');
    const chunks = tx.objectStore('chunks');
    const recording = await recordings.get(recordingId);
    // Only the key is read, not the bytes: a chunk stored as final was sent as final, so its own flag can be left out.
    const queued = (await chunks.getKey([recordingId, seq])) !== undefined;
    const final = queued && recording !== undefined && this.isFinal(recording, { seq, final: false });
    if (queued && !(final && !sentFinal)) {
      await chunks.delete([recordingId, seq]);
      if (recording?.ended && (await chunks.getKey(chunksOf(recordingId))) === undefined) {
        await recordings.delete(recordingId);
      }
    }
    await tx.done;
    if (this.pendingEnds.size > 0) await this.writePendingEnds();
    this.changed();
  }

  /** Whether a queued chunk is its recording's last (by the recorder, the stored end, or an end not yet written). */
  private isFinal(recording: LocalRecording, chunk: Pick<LocalChunk, 'seq' | 'final'>): boolean {
    if (chunk.final || chunk.seq === recording.finalSeq) return true;
    return this.pendingEnds.has(recording.id) && chunk.seq === recording.nextSeq - 1;
  }

  private async writePendingEnds(): Promise<void> {
    const ids = new Set(this.pendingEnds);
    try {
      await this.endWhere((recording) => ids.has(recording.id));
      for (const id of ids) this.pendingEnds.delete(id);
    } catch (error) {
      // Still too full: tried again after the next confirmed chunk.
      log.debug('queue: recording ends could not be written yet', error);
    }
  }

  /** Forgets the queued chunks of a recording the server no longer takes (past retention; deletions only). */
  async drop(recordingId: string): Promise<void> {
    const db = await openPeerwatchDb();
    const tx = db.transaction(['recordings', 'chunks'], 'readwrite');
    const recordings = tx.objectStore('recordings');
    const recording = await recordings.get(recordingId);
    await tx.objectStore('chunks').delete(chunksOf(recordingId));
    // One still being recorded stays, to keep counting its seqs.
    if (!recording || recording.ended) await recordings.delete(recordingId);
    await tx.done;
    this.changed();
  }

  /** Stops uploading a recording the server refused for good; its chunks stay on this device. */
  async park(recordingId: string, problem: string): Promise<void> {
    const db = await openPeerwatchDb();
    const tx = db.transaction('recordings', 'readwrite');
    const recording = await tx.store.get(recordingId);
    if (recording) await tx.store.put({ ...recording, uploadProblem: problem });
    await tx.done;
    this.changed();
  }

  /** Chunks and bytes waiting (read from the size index, not the chunks), and recordings parked with a problem. */
  async summary(): Promise<QueueSummary> {
    const db = await openPeerwatchDb();
    const tx = db.transaction(['recordings', 'chunks'], 'readonly');
    let chunks = 0;
    let bytes = 0;
    let cursor = await tx.objectStore('chunks').index('by-recording-size').openKeyCursor();
    for (; cursor; cursor = await cursor.continue()) {
      chunks += 1;
      bytes += cursor.key[1];
    }
    const recordings = await tx.objectStore('recordings').getAll();
    await tx.done;
    return {
      chunks,
      bytes,
      problems: recordings.flatMap((r) => (r.uploadProblem ? [{ recordingId: r.id, message: r.uploadProblem }] : [])),
    };
  }

  private changed(): void {
    this.emit('change');
  }
}
