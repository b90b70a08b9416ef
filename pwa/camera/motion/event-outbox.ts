import type { MotionEventWrite } from '../../../protocol/index.js';
import { openPeerwatchDb } from '../../shared/db.js';
import { Emitter } from '../../shared/emitter.js';
import type { EventReport, QueuedEventReport } from '../../shared/event-records.js';
import { newRandomId } from '../recording/recording-ids.js';
import type { MotionEventDetail } from './camera-motion.js';
import type { OpenEvent } from './motion-event.js';

/**
 * The body of `PUT /api/events/:eventId` for an event as the detector reports
 * it (without `cameraClockMs`): whole ms, the peak's score (clamped to 0..1)
 * and box, `endedAtMs` null while it goes on and never before its start.
 */
export function eventWrite(event: OpenEvent, endedAtMs: number | null): Omit<MotionEventWrite, 'cameraClockMs'> {
  const { x, y, width, height } = event.peak.box;
  return {
    kind: event.kind,
    startedAtMs: Math.round(event.startedAtMs),
    endedAtMs: endedAtMs === null ? null : Math.max(Math.round(endedAtMs), Math.round(event.startedAtMs)),
    score: Math.min(1, Math.max(0, event.peak.score)),
    box: { x, y, width, height },
  };
}

/**
 * The camera's queue of event reports, in IndexedDB (store `eventOutbox`), so
 * events seen while the server cannot be reached survive reloads and are sent
 * later, in order (`EventUploader`). Each event gets a camera-made id (128
 * random bits, base64url) when it starts; `started` queues the event and
 * its thumbnail (of the peak so far, so that the household's notification can
 * show it at once), `ended` queues it again with its end, then its snapshot
 * (the whole event's peak); `personSeen` queues the open event again with
 * its new kind. Each image is uploaded once. Sends `change` after each write.
 */
export class EventOutbox extends Emitter<{ change: void }> {
  /** Id of the event going on now; null between events. */
  private openEventId: string | null = null;

  /**
   * Queues what a motion event report says.
   * @throws DOMException when IndexedDB refuses the write (e.g. `QuotaExceededError`)
   */
  async add(detail: MotionEventDetail): Promise<void> {
    const reports: EventReport[] = [];
    if (detail.type === 'started') {
      this.openEventId = newRandomId();
      reports.push(
        { kind: 'event', eventId: this.openEventId, event: eventWrite(detail.event, null) },
        { kind: 'image', eventId: this.openEventId, image: 'thumbnail', blob: detail.images.thumbnail },
      );
    } else {
      // An event whose start this outbox did not see (the page reloaded meanwhile) gets its thumbnail now.
      const unseenStart = this.openEventId === null;
      const eventId = this.openEventId ?? newRandomId();
      this.openEventId = null;
      reports.push(
        { kind: 'event', eventId, event: eventWrite(detail.event, detail.event.endedAtMs) },
        { kind: 'image', eventId, image: 'snapshot', blob: detail.images.snapshot },
      );
      if (unseenStart) reports.push({ kind: 'image', eventId, image: 'thumbnail', blob: detail.images.thumbnail });
    }
    await this.queue(reports);
  }

  /**
   * Queues the open event again as `event` says it now (its kind became
   * `person`); nothing when no event is open here (its `ended` will say it).
   * @throws DOMException when IndexedDB refuses the write
   */
  async personSeen(event: OpenEvent): Promise<void> {
    if (this.openEventId === null) return;
    await this.queue([{ kind: 'event', eventId: this.openEventId, event: eventWrite(event, null) }]);
  }

  private async queue(reports: EventReport[]): Promise<void> {
    const db = await openPeerwatchDb();
    const tx = db.transaction('eventOutbox', 'readwrite');
    // `seq` is set by the store's key generator.
    await Promise.all([...reports.map((report) => tx.store.add(report as QueuedEventReport)), tx.done]);
    this.emit('change');
  }

  /** The oldest report not yet confirmed, or null when none waits. @throws DOMException when IndexedDB fails */
  async next(): Promise<QueuedEventReport | null> {
    const db = await openPeerwatchDb();
    const cursor = await db.transaction('eventOutbox').store.openCursor();
    return cursor?.value ?? null;
  }

  /** Removes a report (the server confirmed it, or refused it for good). @throws DOMException when IndexedDB fails */
  async remove(seq: number): Promise<void> {
    const db = await openPeerwatchDb();
    await db.delete('eventOutbox', seq);
  }
}
