import type Database from 'better-sqlite3';
import { toChunk, toRecording, toRecordingControl, type Row } from './rows.js';
import { checkSameChunk } from './same-bytes.js';
import type {
  ChunkRecord,
  RecordingControlRecord,
  RecordingControlRepository,
  RecordingRecord,
  RecordingRepository,
} from './store.js';

/**
 * The SQLite implementations of the recording repositories, over an open,
 * migrated database, and `setRecordingEnabled`: the "Record" switch set
 * synchronously, for use inside another repository's transaction.
 */
export function sqliteRecordingRepositories(db: Database.Database): {
  recordings: RecordingRepository;
  recordingControls: RecordingControlRepository;
  setRecordingEnabled: (deviceId: string, enabled: boolean) => RecordingControlRecord;
} {
  const q = {
    byId: db.prepare('SELECT * FROM recordings WHERE id = ?'),
    list: db.prepare(
      `SELECT * FROM recordings WHERE household_id = @householdId
         AND (@deviceId IS NULL OR device_id = @deviceId)
         AND (@fromMs IS NULL OR ended_at_ms >= @fromMs)
         AND (@toMs IS NULL OR started_at_ms <= @toMs)
       ORDER BY started_at_ms DESC, id`,
    ),
    listAll: db.prepare('SELECT * FROM recordings ORDER BY started_at_ms'),
    insert: db.prepare(
      `INSERT INTO recordings (id, household_id, device_id, started_at_ms, ended_at_ms, size_bytes, chunk_count,
         final_seq, closed_at_ms, created_at_ms)
       VALUES (@id, @householdId, @deviceId, @startMs, @endMs, 0, 0, NULL, NULL, @nowMs)
       ON CONFLICT (id) DO NOTHING`,
    ),
    closeOthers: db.prepare(
      'UPDATE recordings SET closed_at_ms = ? WHERE device_id = ? AND id != ? AND closed_at_ms IS NULL',
    ),
    addTotals: db.prepare(
      `UPDATE recordings SET started_at_ms = MIN(started_at_ms, @startMs), ended_at_ms = MAX(ended_at_ms, @endMs),
         size_bytes = size_bytes + @sizeBytes, chunk_count = chunk_count + 1
       WHERE id = @id`,
    ),
    markFinal: db.prepare('UPDATE recordings SET final_seq = ?, closed_at_ms = COALESCE(closed_at_ms, ?) WHERE id = ?'),
    delete: db.prepare('DELETE FROM recordings WHERE id = ?'),
    chunks: db.prepare('SELECT * FROM recording_chunks WHERE recording_id = ? ORDER BY seq'),
    chunk: db.prepare('SELECT * FROM recording_chunks WHERE recording_id = ? AND seq = ?'),
    insertChunk: db.prepare(
      `INSERT INTO recording_chunks (recording_id, seq, size_bytes, sha256, start_ms, duration_ms, stored_at_ms)
       VALUES (@recordingId, @seq, @sizeBytes, @sha256, @startMs, @durationMs, @storedAtMs)
       ON CONFLICT (recording_id, seq) DO NOTHING`,
    ),
    control: db.prepare('SELECT * FROM recording_controls WHERE device_id = ?'),
    setEnabled: db.prepare(
      `INSERT INTO recording_controls (device_id, enabled) VALUES (?, ?)
       ON CONFLICT (device_id) DO UPDATE SET enabled = excluded.enabled`,
    ),
    setReported: db.prepare(
      `INSERT INTO recording_controls (device_id, recording, reported_problem, reported_at_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (device_id) DO UPDATE SET recording = excluded.recording,
         reported_problem = excluded.reported_problem, reported_at_ms = excluded.reported_at_ms`,
    ),
  };

  const findById = (id: string) => {
    const row = q.byId.get(id) as Row | undefined;
    return row && toRecording(row);
  };

  const addChunkTx = db.transaction(
    (owner: { householdId: string; deviceId: string }, chunk: ChunkRecord, final: boolean): RecordingRecord => {
      const span = { id: chunk.recordingId, startMs: chunk.startMs, endMs: chunk.startMs + chunk.durationMs };
      if (q.insert.run({ ...span, ...owner, nowMs: chunk.storedAtMs }).changes === 1) {
        q.closeOthers.run(chunk.storedAtMs, owner.deviceId, chunk.recordingId);
      }
      if (q.insertChunk.run(chunk).changes === 1) q.addTotals.run({ ...span, sizeBytes: chunk.sizeBytes });
      else checkSameChunk((q.chunk.get(chunk.recordingId, chunk.seq) as Row).sha256, chunk);
      if (final) q.markFinal.run(chunk.seq, chunk.storedAtMs, chunk.recordingId);
      return findById(chunk.recordingId)!;
    },
  );

  const control = (deviceId: string) => toRecordingControl(deviceId, q.control.get(deviceId) as Row | undefined);
  const setRecordingEnabled = (deviceId: string, enabled: boolean) => {
    q.setEnabled.run(deviceId, enabled ? 1 : 0);
    return control(deviceId);
  };

  return {
    recordings: {
      async findById(id) {
        return findById(id);
      },
      async list(query) {
        const params = {
          householdId: query.householdId,
          deviceId: query.deviceId ?? null,
          fromMs: query.fromMs ?? null,
          toMs: query.toMs ?? null,
        };
        return (q.list.all(params) as Row[]).map(toRecording);
      },
      async listAll() {
        return (q.listAll.all() as Row[]).map(toRecording);
      },
      async chunks(recordingId) {
        return (q.chunks.all(recordingId) as Row[]).map(toChunk);
      },
      async findChunk(recordingId, seq) {
        const row = q.chunk.get(recordingId, seq) as Row | undefined;
        return row && toChunk(row);
      },
      async addChunk(owner, chunk, final) {
        return addChunkTx(owner, chunk, final);
      },
      async markFinal(recordingId, seq, atMs) {
        q.markFinal.run(seq, atMs, recordingId);
      },
      async delete(id) {
        return q.delete.run(id).changes === 1;
      },
    },
    recordingControls: {
      async get(deviceId) {
        return control(deviceId);
      },
      async setEnabled(deviceId, enabled) {
        return setRecordingEnabled(deviceId, enabled);
      },
      async setReported(deviceId, { recording, problem, atMs }) {
        q.setReported.run(deviceId, recording ? 1 : 0, problem, atMs);
        return control(deviceId);
      },
    },
    setRecordingEnabled,
  };
}
