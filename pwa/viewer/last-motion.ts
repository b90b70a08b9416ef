import type { HouseholdEvent, MotionEventKind } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import { Emitter } from '../shared/emitter.js';
import { log } from '../shared/logger.js';

/** An event this long after its start counts as over even if its end never came (a camera that went away meanwhile), ms. */
const OPEN_AT_MOST_MS = 6 * 60_000;

/** A camera's newest event: its start (ms since the epoch), its kind so far, and whether it has ended. */
interface NewestEvent {
  startedAtMs: number;
  kind: MotionEventKind;
  ended: boolean;
}

/**
 * When each camera of the household last saw motion (the start of its newest
 * event, ms since the epoch) and whether that event is still open: loaded
 * from the newest page of `GET /api/events` (50 events; a camera whose last
 * event is older is not known until it sees motion again), then kept current
 * from `motion-started`/`motion-updated`/`motion-ended` household events.
 * Sends `change` when a camera's newest event changes.
 */
export class LastMotion extends Emitter<{ change: void }> {
  private readonly newest = new Map<string, NewestEvent>();

  constructor(private readonly api: ApiClient) {
    super();
  }

  /** The start of the camera's newest event, ms since the epoch; undefined when none is known. */
  of(deviceId: string): number | undefined {
    return this.newest.get(deviceId)?.startedAtMs;
  }

  /**
   * The kind of the camera's newest event while it goes on now (no end yet, and started less than
   * `OPEN_AT_MOST_MS` ago): `person` once a person was found in it; null when none is open.
   */
  openEvent(deviceId: string, nowMs = Date.now()): MotionEventKind | null {
    const newest = this.newest.get(deviceId);
    return newest !== undefined && !newest.ended && nowMs - newest.startedAtMs < OPEN_AT_MOST_MS ? newest.kind : null;
  }

  /** Loads the newest events again (after the stream (re)subscribed); a failure is logged and the times shown stay. */
  async load(): Promise<void> {
    try {
      const { events } = await this.api.listEvents();
      for (const event of events) this.note(event.deviceId, newestOf(event));
    } catch (error) {
      log.warn('viewer: the latest events could not be loaded', error);
    }
  }

  apply(event: HouseholdEvent): void {
    if (event.type === 'motion-started' || event.type === 'motion-updated' || event.type === 'motion-ended') {
      this.note(event.event.deviceId, newestOf(event.event));
    }
  }

  /**
   * Keeps `event` as the camera's newest unless a newer one is known; the same one again adds what it tells
   * (it found a person, or ended: neither is ever undone).
   */
  private note(deviceId: string, event: NewestEvent): void {
    const known = this.newest.get(deviceId);
    if (known && known.startedAtMs > event.startedAtMs) return;
    const next =
      known && known.startedAtMs === event.startedAtMs
        ? { startedAtMs: known.startedAtMs, kind: known.kind === 'person' ? known.kind : event.kind, ended: known.ended || event.ended }
        : event;
    if (known && known.kind === next.kind && known.ended === next.ended && known.startedAtMs === next.startedAtMs) return;
    this.newest.set(deviceId, next);
    this.emit('change');
  }
}

/** What `LastMotion` keeps of an event record. */
function newestOf(event: { startedAtMs: number; kind: MotionEventKind; endedAtMs: number | null }): NewestEvent {
  return { startedAtMs: event.startedAtMs, kind: event.kind, ended: event.endedAtMs !== null };
}
