import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import type { ServerInfo } from '../api-types.js';

/** The version in the repository's package.json (semver). @throws Error when it cannot be read. */
export function packageVersion(): string {
  const file = path.resolve(import.meta.dirname, '../../package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * `GET /api/server` (anyone, no credential: a camera asks before it is paired):
 * `ServerInfo`, which server this is. It takes no query or body.
 * @param instanceId `Config.instanceId`
 * @param version the server's version, e.g. `packageVersion()`
 */
export function serverRoutes(instanceId: string, version: string): Router {
  const body: ServerInfo = { name: 'Peerwatch', version, instanceId };
  const router = Router();
  router.get('/', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(body);
  });
  return router;
}
