import type Database from 'better-sqlite3';
import { toEvent, toImage, type Row } from './rows.js';
import { checkSameImage } from './same-bytes.js';
import type { MotionEventRepository, StoredMotionEvent } from './store.js';

/** Every column of an event, with its images' names and total size. */
const SELECT_EVENT = `SELECT e.*,
    (SELECT group_concat(image) FROM motion_event_images WHERE event_id = e.id) AS image_names,
    (SELECT COALESCE(SUM(size_bytes), 0) FROM motion_event_images WHERE event_id = e.id) AS image_bytes
  FROM motion_events e`;

/** The SQLite implementation of the camera event repository, over an open, migrated database. */
export function sqliteMotionEventRepository(db: Database.Database): { motionEvents: MotionEventRepository } {
  const q = {
    byId: db.prepare(`${SELECT_EVENT} WHERE e.id = ?`),
    upsert: db.prepare(
      `INSERT INTO motion_events (id, household_id, device_id, kind, started_at_ms, ended_at_ms, score,
         box_x, box_y, box_width, box_height, recording_id, footage_offset_ms, seen_at_ms, created_at_ms)
       VALUES (@id, @householdId, @deviceId, @kind, @startedAtMs, @endedAtMs, @score,
         @x, @y, @width, @height, @recordingId, @footageOffsetMs, NULL, @createdAtMs)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, started_at_ms = excluded.started_at_ms,
         ended_at_ms = excluded.ended_at_ms, score = excluded.score, box_x = excluded.box_x, box_y = excluded.box_y,
         box_width = excluded.box_width, box_height = excluded.box_height, recording_id = excluded.recording_id,
         footage_offset_ms = excluded.footage_offset_ms`,
    ),
    list: db.prepare(
      `${SELECT_EVENT} WHERE e.household_id = @householdId
         AND (@deviceId IS NULL OR e.device_id = @deviceId)
         AND (@deviceIds IS NULL OR e.device_id IN (SELECT value FROM json_each(@deviceIds)))
         AND (@kind IS NULL OR e.kind = @kind)
         AND (@fromMs IS NULL OR e.started_at_ms >= @fromMs)
         AND (@toMs IS NULL OR e.started_at_ms <= @toMs)
         AND (@afterStartMs IS NULL OR e.started_at_ms < @afterStartMs
              OR (e.started_at_ms = @afterStartMs AND e.id < @afterId))
       ORDER BY e.started_at_ms DESC, e.id DESC
       LIMIT @limit`,
    ),
    listAll: db.prepare(`${SELECT_EVENT} ORDER BY e.started_at_ms`),
    image: db.prepare('SELECT * FROM motion_event_images WHERE event_id = ? AND image = ?'),
    insertImage: db.prepare(
      `INSERT INTO motion_event_images (event_id, image, content_type, size_bytes, sha256)
       VALUES (@eventId, @image, @contentType, @sizeBytes, @sha256)
       ON CONFLICT (event_id, image) DO NOTHING`,
    ),
    markSeen: db.prepare('UPDATE motion_events SET seen_at_ms = COALESCE(seen_at_ms, ?) WHERE id = ?'),
    delete: db.prepare('DELETE FROM motion_events WHERE id = ?'),
  };

  const findById = (id: string) => {
    const row = q.byId.get(id) as Row | undefined;
    return row && toEvent(row);
  };

  const putTx = db.transaction((event: StoredMotionEvent) => {
    const before = findById(event.id);
    q.upsert.run({ ...event, ...event.box });
    return { before, after: findById(event.id)! };
  });

  return {
    motionEvents: {
      async findById(id) {
        return findById(id);
      },
      async put(event) {
        return putTx(event);
      },
      async list(query) {
        const params = {
          householdId: query.householdId,
          deviceId: query.deviceId ?? null,
          deviceIds: query.deviceIds === undefined ? null : JSON.stringify(query.deviceIds),
          kind: query.kind ?? null,
          fromMs: query.fromMs ?? null,
          toMs: query.toMs ?? null,
          afterStartMs: query.after?.startedAtMs ?? null,
          afterId: query.after?.id ?? null,
          limit: query.limit,
        };
        return (q.list.all(params) as Row[]).map(toEvent);
      },
      async listAll() {
        return (q.listAll.all() as Row[]).map(toEvent);
      },
      async findImage(eventId, image) {
        const row = q.image.get(eventId, image) as Row | undefined;
        return row && toImage(row);
      },
      async addImage(image) {
        if (q.insertImage.run(image).changes === 0) checkSameImage(toImage(q.image.get(image.eventId, image.image) as Row), image);
      },
      async markSeen(id, atMs) {
        q.markSeen.run(atMs, id);
        return findById(id);
      },
      async delete(id) {
        return q.delete.run(id).changes === 1;
      },
    },
  };
}
