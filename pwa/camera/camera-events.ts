import type { DeviceEvent, HouseholdEvent } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import { HouseholdEventStream } from '../api/event-stream.js';

/**
 * The camera's own event stream (`GET /api/events` with its device
 * credential, events `DeviceEvent`), one connection shared by the parts of
 * the camera page. Dispatches `ready` when (re)subscribed (events may have
 * been missed: reload state) and `device-event` (`CustomEvent<DeviceEvent>`)
 * for each event.
 */
export class CameraEvents extends EventTarget {
  private readonly stream: HouseholdEventStream;

  constructor(api: ApiClient, deviceToken: string) {
    super();
    this.stream = new HouseholdEventStream(
      api,
      {
        onReady: () => this.dispatchEvent(new Event('ready')),
        onEvent: (event: HouseholdEvent) =>
          this.dispatchEvent(new CustomEvent<DeviceEvent>('device-event', { detail: event as DeviceEvent })),
      },
      { deviceToken },
    );
  }

  /** Opens the stream and keeps it open (reconnecting with backoff). */
  start(): void {
    this.stream.start();
  }

  stop(): void {
    this.stream.stop();
  }
}

/** The event of a `device-event` dispatch. */
export const deviceEventOf = (event: Event): DeviceEvent => (event as CustomEvent<DeviceEvent>).detail;
