import { Router } from 'express';
import type { HouseholdEvent } from '../api-types.js';
import { userOf } from '../auth/principal.js';
import type { EventHub } from './event-hub.js';

/** Interval of SSE comment lines that keep idle connections (and proxies) open, ms. */
const KEEPALIVE_MS = 15_000;

/**
 * `GET /api/events`: the caller's household events as Server-Sent Events
 * (HTML Living Standard §9.2): `event: <type>` + `data: <JSON HouseholdEvent>`.
 * Starts with an `event: ready` so a client knows it is subscribed.
 */
export function eventRoutes(hub: EventHub): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const { householdId } = userOf(res);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    const send = (event: HouseholdEvent) => res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    res.write('retry: 2000\nevent: ready\ndata: {}\n\n');
    const unsubscribe = hub.subscribe(householdId, send);
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    req.on('close', () => {
      clearInterval(keepalive);
      unsubscribe();
    });
  });
  return router;
}
