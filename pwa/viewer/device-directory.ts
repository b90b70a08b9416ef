import type { Device, HouseholdEvent } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import { messageOf } from '../app/error-message.js';
import { HouseholdEventStream } from '../api/event-stream.js';
import { Emitter } from '../shared/emitter.js';
import { log } from '../shared/logger.js';

/** Payload of the directory's `pairing-claimed` event. */
export interface PairingClaimedDetail {
  pairingId: string;
  device: Device;
}

/**
 * Whether the viewer knows the household's cameras:
 * - `loading`: not loaded yet
 * - `unreachable`: not loaded yet, and the event stream cannot connect (retrying)
 * - `load-failed`: not loaded yet, `GET /api/devices` failed (`message` is meant for people)
 * - `loaded`: loaded at least once (kept while the stream reconnects)
 */
export type DirectoryStatus =
  | { kind: 'loading' }
  | { kind: 'unreachable' }
  | { kind: 'load-failed'; message: string }
  | { kind: 'loaded' };

/** The events of a `DeviceDirectory` and their payloads. */
export interface DeviceDirectoryEvents {
  /** The list, a camera or `status` changed. */
  change: void;
  /** The list was loaded again after the stream (re)subscribed (events may have been missed). */
  reload: void;
  /** Every household event, for others that follow the household (e.g. recording state). */
  'household-event': HouseholdEvent;
  /** A camera was paired with one of this household's pairing codes. */
  'pairing-claimed': PairingClaimedDetail;
}

/**
 * The household's cameras as the viewer knows them: loaded with
 * `GET /api/devices` each time the event stream (re)subscribes, then kept
 * current from `presence`, `device-updated`, `device-removed` and
 * `pairing-claimed` events. Events: `DeviceDirectoryEvents`.
 */
export class DeviceDirectory extends Emitter<DeviceDirectoryEvents> {
  private readonly devices = new Map<string, Device>();
  private readonly stream: HouseholdEventStream;
  status: DirectoryStatus = { kind: 'loading' };

  constructor(private readonly api: ApiClient) {
    super();
    this.stream = new HouseholdEventStream(api);
    this.stream.on('ready', () => void this.reload());
    this.stream.on('event', (event) => this.apply(event));
    this.stream.on('interrupted', () => this.unreachable());
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
    if (this.status.kind === 'loaded') return;
    this.status = { kind: 'unreachable' };
    this.changed();
  }

  private async reload(): Promise<void> {
    try {
      const devices = await this.api.listDevices();
      this.devices.clear();
      for (const device of devices) this.devices.set(device.id, device);
      this.status = { kind: 'loaded' };
      this.emit('reload');
    } catch (error) {
      // Loaded again on the stream's next (re)subscription; before a first load the list says why.
      log.warn('directory: the cameras could not be loaded', error);
      if (this.status.kind !== 'loaded') {
        this.status = { kind: 'load-failed', message: messageOf(error, 'The cameras could not be loaded.') };
      }
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
