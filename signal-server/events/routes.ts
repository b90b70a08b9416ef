import { Router } from 'express';
import { userOf } from '../auth/principal.js';
import type { EventHub } from './event-hub.js';
import { openEventStream } from './event-stream.js';

/**
 * `GET /api/events`: the caller's household events as Server-Sent Events
 * (`openEventStream`): `event: <type>` + `data: <JSON HouseholdEvent>`.
 * Starts with an `event: ready` so a client knows it is subscribed.
 */
export function eventRoutes(hub: EventHub): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const { householdId } = userOf(res);
    const send = openEventStream(req, res);
    const unsubscribe = hub.subscribe(householdId, send);
    req.on('close', unsubscribe);
  });
  return router;
}
