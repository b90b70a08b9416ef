import type { DeviceEvent } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import { HouseholdEventStream } from '../api/event-stream.js';
import { TypedEventTarget } from '../api/typed-event-target.js';

/**
 * The camera's own live stream (`GET /api/stream` with its device
 * credential, events `DeviceEvent`), one connection shared by the parts of
 * the camera page. Dispatches `ready` when (re)subscribed (events may have
 * been missed: reload state) and `device-event` (`CustomEvent<DeviceEvent>`)
 * for each event.
 */
export class CameraEvents extends TypedEventTarget<{ ready: Event; 'device-event': CustomEvent<DeviceEvent> }> {
  private readonly stream: HouseholdEventStream<DeviceEvent>;

  constructor(api: ApiClient, deviceToken: string) {
    super();
    this.stream = new HouseholdEventStream<DeviceEvent>(api, { deviceToken });
    this.stream.addEventListener('ready', () => this.emit('ready'));
    this.stream.addEventListener('event', (event) => this.emit('device-event', event.detail));
  }

  /** Opens the stream and keeps it open (reconnecting with backoff). */
  start(): void {
    this.stream.start();
  }

  stop(): void {
    this.stream.stop();
  }
}
