import { Router } from 'express';
import { userOf } from '../auth/principal.js';
import type { SessionEndings } from '../auth/session-endings.js';
import type { EventHub } from './event-hub.js';
import { openEventStream } from './event-stream.js';

/**
 * `GET /api/events`: the caller's household events as Server-Sent Events
 * (`openEventStream`): `event: <type>` + `data: <JSON HouseholdEvent>`.
 * Starts with an `event: ready` so a client knows it is subscribed. The
 * stream ends when the user's sign-in session does (sign-out).
 */
export function eventRoutes(hub: EventHub, endings: SessionEndings): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const { householdId, sessionId } = userOf(res);
    const send = openEventStream(req, res);
    const unsubscribe = hub.subscribe(householdId, send);
    const stopWatching = endings.onEnd(sessionId, () => res.end());
    req.on('close', () => {
      unsubscribe();
      stopWatching();
    });
  });
  return router;
}
