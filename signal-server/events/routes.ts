import { deviceOfEvent, type HouseholdEvent } from '../../protocol/index.js';
import { maySee, readerOf } from '../auth/camera-access.js';
import type { SessionEndings } from '../auth/session-endings.js';
import type { ContractRouter } from '../http/contract-router.js';
import type { EventHub } from './event-hub.js';
import { openEventStream } from './event-stream.js';
import { streamDeviceEvents, type InitialDeviceEvents } from './device-stream.js';

/**
 * `GET /api/stream`: the live event stream as Server-Sent Events
 * (`openEventStream`): `event: <type>` + `data: <JSON>`, after an
 * `event: ready` so a client knows it is subscribed. A user gets the
 * household's events (`HouseholdEvent`) about the cameras they may see, until
 * their sign-in session ends (sign-out) or what they may see changes (told by
 * an `access-changed` event first); a camera its own (`streamDeviceEvents`).
 */
export function streamRoutes(
  api: ContractRouter,
  deps: { hub: EventHub; initialDeviceEvents: InitialDeviceEvents; endings: SessionEndings },
): void {
  api.handle('GET /api/stream', async ({ principal }, req, res) => {
    if (principal.kind === 'device') {
      await streamDeviceEvents(req, res, principal, deps.hub, deps.initialDeviceEvents);
      return;
    }
    const send = openEventStream(req, res);
    const reader = readerOf(principal);
    const unsubscribe = deps.hub.subscribe(principal.householdId, (event) => {
      if (event.type === 'viewer-access-ended') return; // for the camera's own stream only
      const deviceId = deviceOfEvent(event);
      if (deviceId === undefined || maySee(reader, principal.householdId, deviceId)) send(event);
    });
    const stopWatching = deps.endings.onEnd(principal.sessionId, (why) => {
      const change: HouseholdEvent = { type: 'access-changed', change: why === 'removed' ? 'removed' : 'changed' };
      if (why !== 'signed-out') send(change);
      res.end();
    });
    req.on('close', () => {
      unsubscribe();
      stopWatching();
    });
  });
}
