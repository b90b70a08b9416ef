import type { Request, Response } from 'express';
import type { DeviceEvent, HouseholdEvent } from '../../protocol/index.js';
import type { EventHub } from './event-hub.js';
import { openEventStream } from './event-stream.js';

/** A paired camera, as its own stream knows it. */
export interface StreamDevice {
  deviceId: string;
  householdId: string;
}

/** The events a camera's stream starts with (its current state). */
export type InitialDeviceEvents = (device: StreamDevice) => Promise<DeviceEvent[]>;

/** True for the household events addressed to one camera. */
function isForDevice(event: HouseholdEvent, deviceId: string): event is DeviceEvent {
  if (event.type === 'recording-state' || event.type === 'camera-controls' || event.type === 'viewer-access-ended') {
    return event.deviceId === deviceId;
  }
  if (event.type === 'camera-settings') return event.settings.deviceId === deviceId;
  return event.type === 'device-updated' && event.device.id === deviceId;
}

/**
 * A camera's own stream on `GET /api/stream`: its events (`DeviceEvent`) as
 * Server-Sent Events. After `event: ready` come `initialEvents` (its current
 * state), then each change. Events that happen while the initial ones are read
 * are sent after them, so the last event a camera gets is always the latest state.
 */
export async function streamDeviceEvents(
  req: Request,
  res: Response,
  device: StreamDevice,
  hub: EventHub,
  initialEvents: InitialDeviceEvents,
): Promise<void> {
  const send = openEventStream(req, res);
  let pending: DeviceEvent[] | undefined = [];
  const unsubscribe = hub.subscribe(device.householdId, (event) => {
    if (!isForDevice(event, device.deviceId)) return;
    if (pending) pending.push(event);
    else send(event);
  });
  req.on('close', unsubscribe);
  try {
    for (const event of await initialEvents(device)) send(event);
  } finally {
    for (const event of pending) send(event);
    pending = undefined;
  }
}
