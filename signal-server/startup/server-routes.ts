import type { ServerInfo } from '../../protocol/index.js';
import type { ContractRouter } from '../http/contract-router.js';

/**
 * `GET /api/server` (anyone, no credential: a camera asks before it is paired):
 * `ServerInfo`, which server this is.
 * @param instanceId `Config.instanceId`
 * @param version the server's version, e.g. `packageVersion()`
 */
export function serverRoutes(api: ContractRouter, instanceId: string, version: string): void {
  const body: ServerInfo = { name: 'Peerwatch', version, instanceId };
  api.handle('GET /api/server', ({ reply }, _req, res) => {
    res.set('Cache-Control', 'no-store');
    reply(200, body);
  });
}
