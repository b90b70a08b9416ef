import type { Device, HouseholdEvent } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import { messageOf } from '../app/error-message.js';
import { HouseholdEventStream } from '../api/event-stream.js';
import { TypedEventTarget } from '../api/typed-event-target.js';

/** Detail of the directory's `pairing-claimed` event. */
export interface PairingClaimedDetail {
  pairingId: string;
  device: Device;
}

/** What a `DeviceDirectory` dispatches (see there). */
export interface DeviceDirectoryEvents extends Record<string, Event> {
  change: Event;
  reload: Event;
  'pairing-claimed': CustomEvent<PairingClaimedDetail>;
  'household-event': CustomEvent<HouseholdEvent>;
}

/**
 * The household's cameras as the viewer knows them: loaded with
 * `GET /api/devices` each time the event stream (re)subscribes, then kept
 * current from `presence`, `device-updated`, `device-removed` and
 * `pairing-claimed` events.
 *
 * Events: `change` (the list or a camera changed); `pairing-claimed`
 * (`CustomEvent<PairingClaimedDetail>`); `reload` (the list was loaded again
 * after the stream (re)subscribed); `household-event` (`CustomEvent<HouseholdEvent>`,
 * every event, for others that follow the household, e.g. recording state).
 */
export class DeviceDirectory extends TypedEventTarget<DeviceDirectoryEvents> {
  private readonly devices = new Map<string, Device>();
  private readonly stream: HouseholdEventStream;
  /** Whether the list has been loaded at least once. */
  loaded = false;
  /** Why the list could not be loaded, if it could not. */
  problem = '';

  constructor(private readonly api: ApiClient) {
    super();
    this.stream = new HouseholdEventStream(api);
    this.stream.addEventListener('ready', () => void this.reload());
    this.stream.addEventListener('event', (event) => this.apply(event.detail));
    this.stream.addEventListener('interrupted', () => this.unreachable());
  }

  /** Cameras, oldest first. */
  get list(): Device[] {
    return [...this.devices.values()].sort((a, b) => a.createdAtMs - b.createdAtMs);
  }

  get(deviceId: string): Device | undefined {
    return this.devices.get(deviceId);
  }

  /** Starts following the household (opens the event stream). */
  start(): void {
    this.stream.start();
  }

  stop(): void {
    this.stream.stop();
  }

  /** Renames a camera. @throws ApiRequestError with a message for people */
  async rename(deviceId: string, name: string): Promise<void> {
    this.put(await this.api.renameDevice(deviceId, name));
  }

  /** Removes a camera from the household. @throws ApiRequestError */
  async remove(deviceId: string): Promise<void> {
    await this.api.removeDevice(deviceId);
    this.delete(deviceId);
  }

  /** The stream could not connect (or dropped): before a first load, say so instead of "Loading…". */
  private unreachable(): void {
    if (this.loaded) return;
    this.problem = 'The server cannot be reached. The cameras show as soon as it can be; trying again.';
    this.changed();
  }

  private async reload(): Promise<void> {
    try {
      const devices = await this.api.listDevices();
      this.devices.clear();
      for (const device of devices) this.devices.set(device.id, device);
      this.loaded = true;
      this.problem = '';
      this.emit('reload');
    } catch (error) {
      this.problem = messageOf(error, 'The cameras could not be loaded.');
    }
    this.changed();
  }

  private apply(event: HouseholdEvent): void {
    this.emit('household-event', event);
    switch (event.type) {
      case 'presence': {
        const device = this.devices.get(event.deviceId);
        if (device) this.put({ ...device, online: event.online, lastSeenAtMs: event.lastSeenAtMs });
        break;
      }
      case 'device-updated':
        this.put(event.device);
        break;
      case 'device-removed':
        this.delete(event.deviceId);
        break;
      case 'pairing-claimed':
        this.put(event.device);
        this.emit('pairing-claimed', { pairingId: event.pairingId, device: event.device });
        break;
    }
  }

  private put(device: Device): void {
    this.devices.set(device.id, device);
    this.changed();
  }

  private delete(deviceId: string): void {
    if (this.devices.delete(deviceId)) this.changed();
  }

  private changed(): void {
    this.emit('change');
  }
}
