import { Router } from 'express';
import type { DeviceEvent, HouseholdEvent } from '../api-types.js';
import { principalOf } from '../auth/principal.js';
import type { EventHub } from './event-hub.js';
import { openEventStream } from './event-stream.js';

/** True for the household events addressed to one camera. */
function isForDevice(event: HouseholdEvent, deviceId: string): event is DeviceEvent {
  if (event.type === 'recording-state') return event.deviceId === deviceId;
  return event.type === 'device-updated' && event.device.id === deviceId;
}

/**
 * `GET /api/events` for a camera (`Authorization: Device <token>`): its own
 * events (`DeviceEvent`) as Server-Sent Events. After `event: ready` come
 * `initialEvents` (its current state), then each change. Events that happen
 * while the initial ones are read are sent after them, so the last event a
 * camera gets is always the latest state. Users pass through to the next
 * route (the household stream).
 */
export function deviceEventRoutes(
  hub: EventHub,
  initialEvents: (device: { deviceId: string; householdId: string }) => Promise<DeviceEvent[]>,
): Router {
  const router = Router();
  router.get('/', async (req, res, next) => {
    const principal = principalOf(res);
    if (principal.kind !== 'device') {
      next();
      return;
    }
    const send = openEventStream(req, res);
    let pending: DeviceEvent[] | undefined = [];
    const unsubscribe = hub.subscribe(principal.householdId, (event) => {
      if (!isForDevice(event, principal.deviceId)) return;
      if (pending) pending.push(event);
      else send(event);
    });
    req.on('close', unsubscribe);
    try {
      for (const event of await initialEvents(principal)) send(event);
    } finally {
      for (const event of pending) send(event);
      pending = undefined;
    }
  });
  return router;
}
