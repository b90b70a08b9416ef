import type pg from 'pg';
import { toChunk, toRecording, toRecordingControl } from '../rows.js';
import { checkSameChunk } from '../same-bytes.js';
import type { ChunkRecord, RecordingControlRecord, RecordingControlRepository, RecordingRepository } from '../store.js';
import { changes, inTransaction, one, rows, type Queryable } from './db.js';

const MARK_FINAL = 'UPDATE recordings SET final_seq = $1, closed_at_ms = COALESCE(closed_at_ms, $2) WHERE id = $3';

/** The camera's recording control, as stored now (the defaults when it has no row). */
async function control(db: Queryable, deviceId: string): Promise<RecordingControlRecord> {
  const [row] = await rows(db, 'SELECT * FROM recording_controls WHERE device_id = $1', [deviceId]);
  return toRecordingControl(deviceId, row);
}

/** Sets the camera's "Record" switch on `db` (a transaction of the caller's, or the pool). @returns the control after */
export async function setRecordingEnabled(db: Queryable, deviceId: string, enabled: boolean): Promise<RecordingControlRecord> {
  await db.query(
    `INSERT INTO recording_controls (device_id, enabled) VALUES ($1, $2)
     ON CONFLICT (device_id) DO UPDATE SET enabled = excluded.enabled`,
    [deviceId, enabled ? 1 : 0],
  );
  return control(db, deviceId);
}

/**
 * Stores a chunk's row and the recording's totals in one transaction, safe
 * when several servers commit the same chunk at once: the recording's row is
 * created with ON CONFLICT DO NOTHING, the chunk's row likewise, and only
 * the transaction that inserted the chunk adds it to the totals (the
 * insert of a second waits for the first to commit, then inserts nothing).
 * A chunk stored already with the same SHA-256 changes nothing (its final
 * mark aside); with another one it is refused.
 * @throws ChunkConflictError when the seq is stored with other bytes
 */
async function addChunk(
  tx: Queryable,
  owner: { householdId: string; deviceId: string },
  chunk: ChunkRecord,
  final: boolean,
): Promise<void> {
  const endMs = chunk.startMs + chunk.durationMs;
  const created = await changes(
    tx,
    `INSERT INTO recordings (id, household_id, device_id, started_at_ms, ended_at_ms, size_bytes, chunk_count,
       final_seq, closed_at_ms, created_at_ms)
     VALUES ($1, $2, $3, $4, $5, 0, 0, NULL, NULL, $6)
     ON CONFLICT (id) DO NOTHING`,
    [chunk.recordingId, owner.householdId, owner.deviceId, chunk.startMs, endMs, chunk.storedAtMs],
  );
  if (created === 1) {
    await tx.query('UPDATE recordings SET closed_at_ms = $1 WHERE device_id = $2 AND id != $3 AND closed_at_ms IS NULL', [
      chunk.storedAtMs,
      owner.deviceId,
      chunk.recordingId,
    ]);
  }
  const inserted = await changes(
    tx,
    `INSERT INTO recording_chunks (recording_id, seq, size_bytes, sha256, start_ms, duration_ms, stored_at_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (recording_id, seq) DO NOTHING`,
    [chunk.recordingId, chunk.seq, chunk.sizeBytes, chunk.sha256, chunk.startMs, chunk.durationMs, chunk.storedAtMs],
  );
  if (inserted === 1) {
    await tx.query(
      `UPDATE recordings SET started_at_ms = LEAST(started_at_ms, $2), ended_at_ms = GREATEST(ended_at_ms, $3),
         size_bytes = size_bytes + $4, chunk_count = chunk_count + 1
       WHERE id = $1`,
      [chunk.recordingId, chunk.startMs, endMs, chunk.sizeBytes],
    );
  } else {
    checkSameChunk(await one(tx, 'SELECT sha256 FROM recording_chunks WHERE recording_id = $1 AND seq = $2', [chunk.recordingId, chunk.seq], (r) => r.sha256), chunk);
  }
  if (final) await tx.query(MARK_FINAL, [chunk.seq, chunk.storedAtMs, chunk.recordingId]);
}

/** The PostgreSQL implementations of the recording repositories. */
export function postgresRecordingRepositories(pool: pg.Pool): {
  recordings: RecordingRepository;
  recordingControls: RecordingControlRepository;
} {
  const findById = (db: Queryable, id: string) => one(db, 'SELECT * FROM recordings WHERE id = $1', [id], toRecording);
  return {
    recordings: {
      async findById(id) {
        return findById(pool, id);
      },
      async list(query) {
        const found = await rows(
          pool,
          `SELECT * FROM recordings WHERE household_id = $1
             AND ($2::text IS NULL OR device_id = $2)
             AND ($3::bigint IS NULL OR ended_at_ms >= $3)
             AND ($4::bigint IS NULL OR started_at_ms <= $4)
           ORDER BY started_at_ms DESC, id`,
          [query.householdId, query.deviceId ?? null, query.fromMs ?? null, query.toMs ?? null],
        );
        return found.map(toRecording);
      },
      async listAll() {
        return (await rows(pool, 'SELECT * FROM recordings ORDER BY started_at_ms')).map(toRecording);
      },
      async chunks(recordingId) {
        return (await rows(pool, 'SELECT * FROM recording_chunks WHERE recording_id = $1 ORDER BY seq', [recordingId])).map(toChunk);
      },
      async findChunk(recordingId, seq) {
        return one(pool, 'SELECT * FROM recording_chunks WHERE recording_id = $1 AND seq = $2', [recordingId, seq], toChunk);
      },
      async addChunk(owner, chunk, final) {
        return inTransaction(pool, async (tx) => {
          await addChunk(tx, owner, chunk, final);
          return (await findById(tx, chunk.recordingId))!;
        });
      },
      async markFinal(recordingId, seq, atMs) {
        await pool.query(MARK_FINAL, [seq, atMs, recordingId]);
      },
      async delete(id) {
        return (await changes(pool, 'DELETE FROM recordings WHERE id = $1', [id])) === 1;
      },
    },
    recordingControls: {
      async get(deviceId) {
        return control(pool, deviceId);
      },
      async setEnabled(deviceId, enabled) {
        return setRecordingEnabled(pool, deviceId, enabled);
      },
      async setReported(deviceId, { recording, problem, atMs }) {
        await pool.query(
          `INSERT INTO recording_controls (device_id, recording, reported_problem, reported_at_ms) VALUES ($1, $2, $3, $4)
           ON CONFLICT (device_id) DO UPDATE SET recording = excluded.recording,
             reported_problem = excluded.reported_problem, reported_at_ms = excluded.reported_at_ms`,
          [deviceId, recording ? 1 : 0, problem, atMs],
        );
        return control(pool, deviceId);
      },
    },
  };
}
