import type { Principal } from '../auth/principal.js';
import type { ContractRouter } from '../http/contract-router.js';
import { iceServersFor, type IceSettings } from './ice-servers.js';

/** Who a TURN credential is for, as it shows in the TURN server's logs: `user-<id>` or `camera-<id>`. */
export function turnHolderOf(principal: Principal): string {
  return principal.kind === 'user' ? `user-${principal.userId}` : `camera-${principal.deviceId}`;
}

/**
 * `GET /api/ice-servers` (user or camera): `{iceServers, expiresAtMs, iceTransportPolicy}`,
 * with a TURN credential of its own for each caller when TURN is configured. Never cached.
 */
export function iceRoutes(api: ContractRouter, settings: IceSettings): void {
  api.handle('GET /api/ice-servers', ({ principal, reply }, _req, res) => {
    res.set('Cache-Control', 'no-store');
    reply(200, iceServersFor(settings, turnHolderOf(principal)));
  });
}
