import type { HouseholdEvent } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import { Emitter } from '../shared/emitter.js';
import { log } from '../shared/logger.js';

/**
 * When each camera of the household last saw motion (the start of its newest
 * event, ms since the epoch): loaded from the newest page of `GET /api/events`
 * (50 events; a camera whose last event is older is not known until it sees
 * motion again), then kept current from `motion-started`/`motion-ended`
 * household events. Sends `change` when a time changes.
 */
export class LastMotion extends Emitter<{ change: void }> {
  private readonly atMs = new Map<string, number>();

  constructor(private readonly api: ApiClient) {
    super();
  }

  /** The start of the camera's newest event, ms since the epoch; undefined when none is known. */
  of(deviceId: string): number | undefined {
    return this.atMs.get(deviceId);
  }

  /** Loads the newest events again (after the stream (re)subscribed); a failure is logged and the times shown stay. */
  async load(): Promise<void> {
    try {
      const { events } = await this.api.listEvents();
      for (const event of events) this.note(event.deviceId, event.startedAtMs);
    } catch (error) {
      log.warn('viewer: the latest events could not be loaded', error);
    }
  }

  apply(event: HouseholdEvent): void {
    if (event.type === 'motion-started' || event.type === 'motion-ended') this.note(event.event.deviceId, event.event.startedAtMs);
  }

  private note(deviceId: string, startedAtMs: number): void {
    if ((this.atMs.get(deviceId) ?? -Infinity) >= startedAtMs) return;
    this.atMs.set(deviceId, startedAtMs);
    this.emit('change');
  }
}
