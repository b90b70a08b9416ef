import { openPeerwatchDb } from '../../shared/db.js';
import type { LocalChunk, LocalRecording } from '../../shared/recording-records.js';

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
 * reload or browser restart loses nothing that was stored. Each change is one
 * transaction over both stores; counters on the recording keep the queue's
 * size readable without loading chunk bytes.
 *
 * Dispatches `change` after every change made through this object.
 */
export class ChunkQueue extends EventTarget {
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
      queuedChunks: 1,
      queuedBytes: init.sizeBytes,
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
      await tx.done.catch(() => {});
      throw new Error(`Chunk ${chunk.seq} does not continue recording ${chunk.recordingId}.`);
    }
    recording.nextSeq += 1;
    recording.queuedChunks += 1;
    recording.queuedBytes += chunk.sizeBytes;
    recording.ended = chunk.final;
    if (chunk.final) recording.finalSeq = chunk.seq;
    await Promise.all([recordings.put(recording), tx.objectStore('chunks').add(chunk), tx.done]);
    this.changed();
  }

  /**
   * Ends a recording whose last chunk came without data (or could not be
   * stored): its newest chunk, if still queued, becomes the final one. (If
   * that chunk is on the server already, the server closes the recording when
   * the next one begins.) Only the small recording record is written, so this
   * works when storage is full.
   */
  async end(recordingId: string): Promise<void> {
    await this.endWhere((recording) => recording.id === recordingId);
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
      const lastQueued = (await chunks.getKey([recording.id, lastSeq])) !== undefined;
      if (recording.queuedChunks === 0) await recordings.delete(recording.id);
      else {
        const finalSeq = recording.finalSeq ?? (lastQueued ? lastSeq : null);
        await recordings.put({ ...recording, ended: true, finalSeq });
      }
      changed = true;
    }
    await tx.done;
    if (changed) this.changed();
  }

  /**
   * The chunk to upload next: the lowest queued seq of the oldest recording
   * that has chunks queued and no upload problem, `final` when it is the
   * recording's last; undefined when none.
   */
  async next(): Promise<LocalChunk | undefined> {
    const db = await openPeerwatchDb();
    const tx = db.transaction(['recordings', 'chunks'], 'readonly');
    const recordings = (await tx.objectStore('recordings').index('by-start').getAll()).filter(
      (recording) => recording.queuedChunks > 0 && recording.uploadProblem === null,
    );
    const first = recordings[0];
    const chunk = first && (await tx.objectStore('chunks').getAll(chunksOf(first.id), 1))[0];
    await tx.done;
    return chunk && { ...chunk, final: chunk.final || chunk.seq === first.finalSeq };
  }

  /**
   * Removes a chunk the server confirmed. A chunk that became final after it
   * was sent without the final mark stays queued, so it is sent once more with it.
   * A recording that ended and has nothing left is removed too.
   */
  async confirm(recordingId: string, seq: number, sentFinal: boolean): Promise<void> {
    const db = await openPeerwatchDb();
    const tx = db.transaction(['recordings', 'chunks'], 'readwrite');
    const recordings = tx.objectStore('recordings');
    const chunks = tx.objectStore('chunks');
    const [recording, chunk] = await Promise.all([recordings.get(recordingId), chunks.get([recordingId, seq])]);
    if (!recording || !chunk || ((chunk.final || recording.finalSeq === seq) && !sentFinal)) {
      await tx.done;
      return;
    }
    recording.queuedChunks -= 1;
    recording.queuedBytes -= chunk.sizeBytes;
    await chunks.delete([recordingId, seq]);
    if (recording.ended && recording.queuedChunks === 0) await recordings.delete(recordingId);
    else await recordings.put(recording);
    await tx.done;
    this.changed();
  }

  /** Forgets a recording and its queued chunks (the server no longer takes it: past retention). */
  async drop(recordingId: string): Promise<void> {
    const db = await openPeerwatchDb();
    const tx = db.transaction(['recordings', 'chunks'], 'readwrite');
    const recordings = tx.objectStore('recordings');
    const recording = await recordings.get(recordingId);
    await tx.objectStore('chunks').delete(chunksOf(recordingId));
    if (recording && !recording.ended) {
      // Still being recorded: later chunks would be past retention too, but keep counting seqs.
      await recordings.put({ ...recording, queuedChunks: 0, queuedBytes: 0 });
    } else {
      await recordings.delete(recordingId);
    }
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

  /** Chunks and bytes waiting, and recordings parked with a problem. */
  async summary(): Promise<QueueSummary> {
    const db = await openPeerwatchDb();
    const recordings = await db.getAll('recordings');
    return {
      chunks: recordings.reduce((sum, r) => sum + r.queuedChunks, 0),
      bytes: recordings.reduce((sum, r) => sum + r.queuedBytes, 0),
      problems: recordings.flatMap((r) => (r.uploadProblem ? [{ recordingId: r.id, message: r.uploadProblem }] : [])),
    };
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
