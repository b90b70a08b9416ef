import type pg from 'pg';
import type { MotionImage } from '../../../protocol/index.js';
import { toEvent, toImage } from '../rows.js';
import { checkSameImage } from '../same-bytes.js';
import type { MotionEventRepository, StoredMotionEvent } from '../store.js';
import { changes, inTransaction, one, rows, type Queryable } from './db.js';

/** Every column of an event, with its images' names and total size (as the shared mapper `toEvent` reads them). */
const SELECT_EVENT = `SELECT e.*,
    (SELECT string_agg(image, ',') FROM motion_event_images WHERE event_id = e.id) AS image_names,
    (SELECT COALESCE(SUM(size_bytes), 0)::bigint FROM motion_event_images WHERE event_id = e.id) AS image_bytes
  FROM motion_events e`;

const findById = (db: Queryable, id: string) => one(db, `${SELECT_EVENT} WHERE e.id = $1`, [id], toEvent);

const findImage = (db: Queryable, eventId: string, image: MotionImage) =>
  one(db, 'SELECT * FROM motion_event_images WHERE event_id = $1 AND image = $2', [eventId, image], toImage);

/** Inserts event `e` or replaces what its camera reports, keeping `seen_at_ms` and `created_at_ms`. */
async function upsert(tx: Queryable, e: StoredMotionEvent): Promise<void> {
  await tx.query(
    `INSERT INTO motion_events (id, household_id, device_id, kind, started_at_ms, ended_at_ms, score,
       box_x, box_y, box_width, box_height, recording_id, footage_offset_ms, seen_at_ms, created_at_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, $14)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, started_at_ms = excluded.started_at_ms,
       ended_at_ms = excluded.ended_at_ms, score = excluded.score, box_x = excluded.box_x, box_y = excluded.box_y,
       box_width = excluded.box_width, box_height = excluded.box_height, recording_id = excluded.recording_id,
       footage_offset_ms = excluded.footage_offset_ms`,
    [
      e.id,
      e.householdId,
      e.deviceId,
      e.kind,
      e.startedAtMs,
      e.endedAtMs,
      e.score,
      e.box.x,
      e.box.y,
      e.box.width,
      e.box.height,
      e.recordingId,
      e.footageOffsetMs,
      e.createdAtMs,
    ],
  );
}

/** The PostgreSQL camera event repository. `put` locks the event's row, so its "before" is what it replaced. */
export function postgresMotionEventRepository(pool: pg.Pool): { motionEvents: MotionEventRepository } {
  return {
    motionEvents: {
      async findById(id) {
        return findById(pool, id);
      },
      async put(event) {
        return inTransaction(pool, async (tx) => {
          await tx.query('SELECT 1 FROM motion_events WHERE id = $1 FOR UPDATE', [event.id]);
          const before = await findById(tx, event.id);
          await upsert(tx, event);
          return { before, after: (await findById(tx, event.id))! };
        });
      },
      async list(query) {
        const found = await rows(
          pool,
          `${SELECT_EVENT} WHERE e.household_id = $1
             AND ($2::text IS NULL OR e.device_id = $2)
             AND ($3::text[] IS NULL OR e.device_id = ANY($3))
             AND ($4::text IS NULL OR e.kind = $4)
             AND ($5::bigint IS NULL OR e.started_at_ms >= $5)
             AND ($6::bigint IS NULL OR e.started_at_ms <= $6)
             AND ($7::bigint IS NULL OR e.started_at_ms < $7 OR (e.started_at_ms = $7 AND e.id < $8))
           ORDER BY e.started_at_ms DESC, e.id DESC
           LIMIT $9`,
          [
            query.householdId,
            query.deviceId ?? null,
            query.deviceIds ?? null,
            query.kind ?? null,
            query.fromMs ?? null,
            query.toMs ?? null,
            query.after?.startedAtMs ?? null,
            query.after?.id ?? null,
            query.limit,
          ],
        );
        return found.map(toEvent);
      },
      async listAll() {
        return (await rows(pool, `${SELECT_EVENT} ORDER BY e.started_at_ms`)).map(toEvent);
      },
      async findImage(eventId, image) {
        return findImage(pool, eventId, image);
      },
      async addImage(image) {
        // Of two servers inserting one image at once, the second waits for the first, then inserts nothing.
        const inserted = await changes(
          pool,
          `INSERT INTO motion_event_images (event_id, image, content_type, size_bytes, sha256) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (event_id, image) DO NOTHING`,
          [image.eventId, image.image, image.contentType, image.sizeBytes, image.sha256],
        );
        if (inserted === 0) checkSameImage((await findImage(pool, image.eventId, image.image))!, image);
      },
      async markSeen(id, atMs) {
        await pool.query('UPDATE motion_events SET seen_at_ms = COALESCE(seen_at_ms, $1) WHERE id = $2', [atMs, id]);
        return findById(pool, id);
      },
      async delete(id) {
        return (await changes(pool, 'DELETE FROM motion_events WHERE id = $1', [id])) === 1;
      },
    },
  };
}
