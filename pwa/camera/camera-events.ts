import type { DeviceEvent, HouseholdEvent } from '../../signal-server/api-types.js';
import type { ApiClient } from '../app/api-client.js';
import { HouseholdEventStream } from '../app/event-stream.js';
import { Emitter } from '../shared/emitter.js';

/**
 * The camera's own event stream (`GET /api/events` with its device
 * credential, events `DeviceEvent`), one connection shared by the parts of
 * the camera page. Sends `ready` when (re)subscribed (events may have
 * been missed: reload state) and `device-event` for each event.
 */
export class CameraEvents extends Emitter<{ ready: void; 'device-event': DeviceEvent }> {
  private readonly stream: HouseholdEventStream;

  constructor(api: ApiClient, deviceToken: string) {
    super();
    this.stream = new HouseholdEventStream(
      api,
      {
        onReady: () => this.emit('ready'),
        // A device credential's stream carries only the events of its own device (DeviceEvent).
        onEvent: (event: HouseholdEvent) => this.emit('device-event', event as DeviceEvent),
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
