import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import type { RequestHandler, Response } from 'express';
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

/**
 * The per-token limiter of API requests: at most `limit` requests per
 * `windowMs` (a fixed window) by one API token, read from the response by
 * `tokenIdOf` once the caller is known (null for callers that are not
 * tokens, who pass unlimited); over it, 429 `rate_limited` with `RateLimit`
 * headers (draft-ietf-httpapi-ratelimit-headers). Each token counts alone.
 */
export function tokenLimiter(limit: number, windowMs: number, tokenIdOf: (res: Response) => string | null): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (_req, res) => tokenIdOf(res) === null,
    keyGenerator: (_req, res) => `token|${tokenIdOf(res) ?? ''}`,
    handler: (_req, res) =>
      sendError(res, 429, 'rate_limited', `This API token made more than ${limit} requests in ${windowMs / 1_000} s; wait and try again.`),
  });
}
