import type { RecordingSummary } from '../../protocol/index.js';
import type { RecordingRecord } from '../store/store.js';

/** The public view of a recording row; complete = final chunk marked and every chunk up to it stored. */
export function toRecordingSummary(record: RecordingRecord): RecordingSummary {
  return {
    id: record.id,
    deviceId: record.deviceId,
    startedAtMs: record.startedAtMs,
    durationMs: record.endedAtMs - record.startedAtMs,
    sizeBytes: record.sizeBytes,
    chunkCount: record.chunkCount,
    complete: record.finalSeq !== null && record.chunkCount === record.finalSeq + 1,
  };
}
