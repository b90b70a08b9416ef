import type { DeviceEvent } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import { HouseholdEventStream } from '../api/event-stream.js';
import { Emitter } from '../shared/emitter.js';

/**
 * The camera's own live stream (`GET /api/stream` with its device
 * credential, events `DeviceEvent`), one connection shared by the parts of
 * the camera page. Sends `ready` when (re)subscribed (events may have
 * been missed: reload state) and `device-event` for each event.
 */
export class CameraEvents extends Emitter<{ ready: void; 'device-event': DeviceEvent }> {
  private readonly stream: HouseholdEventStream<DeviceEvent>;

  constructor(api: ApiClient, deviceToken: string) {
    super();
    this.stream = new HouseholdEventStream<DeviceEvent>(api, { deviceToken });
    this.stream.on('ready', () => this.emit('ready'));
    this.stream.on('event', (event) => this.emit('device-event', event));
  }

  /** Opens the stream and keeps it open (reconnecting with backoff). */
  start(): void {
    this.stream.start();
  }

  stop(): void {
    this.stream.stop();
  }
}
