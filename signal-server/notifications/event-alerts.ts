import type { Logger } from 'pino';
import type { MotionEventActivity } from '../motion-events/activity.js';
import type { MotionEventRow, Store } from '../store/store.js';
import { eventNotification } from './notification-content.js';
import type { Notifier } from './notifier.js';

/** A started event and the origin its camera reached the server at (for the thumbnail link). */
interface StartedEvent {
  event: MotionEventRow;
  origin: string;
}

/**
 * A camera's burst of events: `count` events since the burst began (the first
 * was told at once); `untold` the newest of those that came during the
 * current cooldown window and are not told yet (null: none).
 */
interface Burst {
  count: number;
  untold: StartedEvent | null;
  timer: NodeJS.Timeout;
}

export interface EventAlertOptions {
  /** After a camera's notification about an event, further events of it within this time are folded, ms. */
  cooldownMs: number;
  /** How long a notification waits for its event's thumbnail before it goes without one, ms. */
  thumbnailWaitMs: number;
  store: Store;
  notifier: Notifier;
  /** A link to an event's thumbnail that loads without credentials (a short-lived token), under `origin`. */
  thumbnailUrl: (event: MotionEventRow, origin: string) => string;
  logger: Logger;
}

/**
 * Notifies a household of camera events as they start (fed by
 * `MotionEventActivity`), with the event's thumbnail once the camera has
 * uploaded it (it sends it right after the event; waited for at most
 * `thumbnailWaitMs`). One camera's events are cooled down (Frigate's
 * per-camera cooldown): the first is told at once; those within `cooldownMs`
 * after it are counted and, when the window ends, told as one notification
 * "3 events on Hall" about the newest, which replaces the first on screen
 * (same tag). A burst that goes on opens a new window each time.
 *
 * An event told as motion that turns out to be about a person (the camera's
 * model found one after the event started) is told again at once, "Person on
 * Hall", replacing the first on screen, outside the cooldown (it is no new
 * event); one still waiting in its burst is just told as a person when its
 * window ends.
 */
export class EventAlerts {
  private readonly bursts = new Map<string, Burst>();
  /** Those waiting for an event's thumbnail, by event id. */
  private readonly thumbnailWaiters = new Map<string, Set<() => void>>();
  private closed = false;

  constructor(private readonly options: EventAlertOptions) {}

  /** What happened to camera events. */
  changed(activity: MotionEventActivity): void {
    if (this.closed) return;
    if (activity.type === 'image-stored') {
      if (activity.image !== 'thumbnail') return;
      for (const resolve of this.thumbnailWaiters.get(activity.eventId) ?? []) resolve();
      return;
    }
    const started = { event: activity.event, origin: activity.origin };
    const burst = this.bursts.get(activity.event.deviceId);
    if (activity.type === 'person-found') {
      if (burst?.untold?.event.id === activity.event.id) burst.untold = started;
      else this.tell(started, 1);
      return;
    }
    if (burst) {
      burst.count++;
      burst.untold = started;
      return;
    }
    this.bursts.set(activity.event.deviceId, { count: 1, untold: null, timer: this.windowTimer(activity.event.deviceId) });
    this.tell(started, 1);
  }

  /** Stops the cooldown timers and thumbnail waits; untold folded events are dropped. */
  close(): void {
    this.closed = true;
    for (const burst of this.bursts.values()) clearTimeout(burst.timer);
    this.bursts.clear();
    for (const waiters of this.thumbnailWaiters.values()) for (const resolve of waiters) resolve();
  }

  private windowTimer(deviceId: string): NodeJS.Timeout {
    return setTimeout(() => this.windowOver(deviceId), this.options.cooldownMs);
  }

  private windowOver(deviceId: string): void {
    const burst = this.bursts.get(deviceId);
    if (!burst) return;
    if (!burst.untold) {
      this.bursts.delete(deviceId);
      return;
    }
    this.tell(burst.untold, burst.count);
    burst.untold = null;
    burst.timer = this.windowTimer(deviceId);
  }

  /** Notifies the household about `started` (as one of `count` events), in the background; failures are logged. */
  private tell({ event, origin }: StartedEvent, count: number): void {
    const { store, notifier, thumbnailUrl, logger } = this.options;
    void (async () => {
      const hasThumbnail = await this.thumbnailStored(event.id);
      const device = await store.devices.findById(event.deviceId);
      if (!device || device.householdId !== event.householdId || this.closed) return;
      // As it is now: a person found while the thumbnail was awaited makes it a person event.
      const current = (await store.motionEvents.findById(event.id)) ?? event;
      const content = eventNotification(device, current, count, Date.now());
      await notifier.notify(event.householdId, content, hasThumbnail ? thumbnailUrl(event, origin) : undefined);
    })().catch((err: unknown) => logger.error({ err, eventId: event.id }, 'could not notify about a camera event'));
  }

  /** Whether the event's thumbnail is stored, or is within `thumbnailWaitMs`. */
  private async thumbnailStored(eventId: string): Promise<boolean> {
    const { store, thumbnailWaitMs } = this.options;
    let resolveStored = () => {};
    const stored = new Promise<void>((resolve) => (resolveStored = resolve));
    const waiters = this.thumbnailWaiters.get(eventId) ?? new Set();
    waiters.add(resolveStored);
    this.thumbnailWaiters.set(eventId, waiters);
    const timer = setTimeout(resolveStored, thumbnailWaitMs);
    try {
      if (!(await store.motionEvents.findImage(eventId, 'thumbnail'))) await stored;
      return (await store.motionEvents.findImage(eventId, 'thumbnail')) !== undefined;
    } finally {
      clearTimeout(timer);
      waiters.delete(resolveStored);
      if (waiters.size === 0) this.thumbnailWaiters.delete(eventId);
    }
  }
}
