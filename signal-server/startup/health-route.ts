import type { RequestHandler } from 'express';
import type { RedisLink } from '../cluster/redis-connection.js';

/**
 * `GET /healthz` (anyone; for load balancers and monitors): 200 `{ok: true}`
 * on a single instance. With Redis (`redis` the instance's link): 200
 * `{ok: true, redis: 'up'}`, or 503 `{ok: false, redis: 'down',
 * downSinceMs, error}` while Redis cannot be reached (the instance still
 * serves its own sockets; a load balancer may prefer the others meanwhile).
 */
export function healthRoute(redis: RedisLink | null): RequestHandler {
  return (_req, res) => {
    res.set('Cache-Control', 'no-store');
    const health = redis?.health;
    if (!health) res.json({ ok: true });
    else if (health.state === 'up') res.json({ ok: true, redis: 'up' });
    else res.status(503).json({ ok: false, redis: 'down', downSinceMs: health.sinceMs, error: health.error });
  };
}
