import type { Request } from 'express';

/**
 * The origin the client reached this server at, `<protocol>://<host>` from
 * the request (`Host` header; `localhost` when it is missing).
 */
export function requestOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
