import type { MotionEvent, MotionEventRecord, MotionFootage } from '../../protocol/index.js';
import type { MotionEventRow } from '../store/store.js';

/** The public view of a stored event (what `PUT` answers and the live stream carries). */
export function toMotionEventRecord(row: MotionEventRow): MotionEventRecord {
  const { id, deviceId, kind, startedAtMs, endedAtMs, score, box, seenAtMs } = row;
  return { id, deviceId, kind, startedAtMs, endedAtMs, score, box, seenAtMs };
}

/**
 * An event of `GET /api/events`: its view, the URLs of the images stored for
 * it (`<base>/snapshot?token=...`, null for a missing one) and its footage.
 * @param base the event's URL, e.g. `https://host/api/events/<id>`
 * @param token an `event-image` token of this event
 */
export function toMotionEvent(row: MotionEventRow, base: string, token: string, footage: MotionFootage | null): MotionEvent {
  const url = (image: 'snapshot' | 'thumbnail') =>
    row.images.includes(image) ? `${base}/${image}?token=${encodeURIComponent(token)}` : null;
  return { ...toMotionEventRecord(row), thumbnailUrl: url('thumbnail'), snapshotUrl: url('snapshot'), footage };
}
