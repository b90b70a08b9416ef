import type { MotionEventWrite, MotionImage } from '../../protocol/index.js';

/**
 * One report of a camera event waiting in IndexedDB (store `eventOutbox`) to
 * be sent, in the order the camera made them (`seq`, auto-incremented):
 * - `event`: the event as the camera knew it then (`PUT /api/events/:eventId`,
 *   without `cameraClockMs`, which is added just before sending);
 * - `image`: its snapshot or thumbnail (`PUT /api/events/:eventId/<image>`),
 *   queued after the event that creates it.
 */
export type EventReport =
  | { kind: 'event'; eventId: string; event: Omit<MotionEventWrite, 'cameraClockMs'> }
  | { kind: 'image'; eventId: string; image: MotionImage; blob: Blob };

/** An `EventReport` as stored: `seq` is its place in the queue (set by IndexedDB). */
export type QueuedEventReport = EventReport & { seq: number };
