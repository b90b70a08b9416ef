import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import { sendError } from './errors.js';

/**
 * A fixed-window limiter for guessable endpoints (login, pairing claims):
 * `limit` requests per `windowMs` per client address (plus `keyExtra`, e.g. the
 * email tried); over it, 429 with a JSON error and `RateLimit` headers
 * (draft-ietf-httpapi-ratelimit-headers).
 */
export function guessLimiter(
  limit: number,
  windowMs: number,
  keyExtra: (body: Record<string, unknown>) => string = () => '',
): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${keyExtra((req.body ?? {}) as Record<string, unknown>)}`,
    handler: (_req, res) => sendError(res, 429, 'rate_limited', 'Too many attempts; wait a few minutes and try again.'),
  });
}
