import { Router } from 'express';
import { principalOf, type Principal } from '../auth/principal.js';
import { iceServersFor, type IceSettings } from './ice-servers.js';

/** Who a TURN credential is for, as it shows in the TURN server's logs: `user-<id>` or `camera-<id>`. */
export function turnHolderOf(principal: Principal): string {
  return principal.kind === 'user' ? `user-${principal.userId}` : `camera-${principal.deviceId}`;
}

/**
 * `GET /api/ice-servers` (user or camera, behind `authenticate`): `{iceServers, expiresAtMs}`,
 * with a TURN credential of its own for each caller when TURN is configured. Never cached.
 */
export function iceRoutes(settings: IceSettings): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const holder = turnHolderOf(principalOf(res));
    res.set('Cache-Control', 'no-store').json(iceServersFor(settings, holder));
  });
  return router;
}
