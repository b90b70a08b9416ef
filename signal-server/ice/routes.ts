import { Router } from 'express';
import { principalOf } from '../auth/principal.js';
import { iceServersFor } from './ice-servers.js';

/** `GET /api/ice-servers` (user or camera): `{iceServers, expiresAtMs}`. */
export function iceRoutes(stunUrls: readonly string[]): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    principalOf(res);
    res.set('Cache-Control', 'no-store').json(iceServersFor(stunUrls));
  });
  return router;
}
