import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ServerInfo } from '../../protocol/index.js';
import type { ContractRouter } from '../http/contract-router.js';

/** The version in the repository's package.json (semver). @throws Error when it cannot be read. */
export function packageVersion(): string {
  const file = path.resolve(import.meta.dirname, '../../package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

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
