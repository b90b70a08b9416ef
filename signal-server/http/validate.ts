import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { API_ERRORS, type ApiErrorCode } from '../../protocol/errors.js';
import type { RouteSpec } from '../../protocol/route.js';
import { ApiError } from './errors.js';

/** A request's parts as its route's schemas read them. */
export interface ParsedRequest {
  params: unknown;
  query: unknown;
  headers: unknown;
  body: unknown;
}

const PARSED = Symbol('parsed request');

/** `{field}: {message}` of a zod error's first issue. */
function firstIssue(error: z.ZodError, fallback: string): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue?.message ?? fallback}`;
}

/** @throws ApiError the route's code for the first malformed path parameter (default 404 `not_found`). */
function parseParams(spec: RouteSpec, req: Request): unknown {
  if (!spec.params) return undefined;
  const result = spec.params.safeParse(req.params);
  if (result.success) return result.data;
  const name = String(result.error.issues[0]?.path[0] ?? '');
  const code: ApiErrorCode = spec.paramErrors?.[name] ?? 'not_found';
  const message = code === 'not_found' ? `Nothing at ${req.method} ${req.baseUrl}${req.path}.` : API_ERRORS[code].description;
  throw new ApiError(API_ERRORS[code].status, code, message);
}

/** @throws ApiError 400 `code` naming the first offending field */
function parsePart(schema: z.ZodType | undefined, value: unknown, code: ApiErrorCode, what: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ApiError(API_ERRORS[code].status, code, firstIssue(result.error, `invalid ${what}`));
}

/**
 * The one request validator: checks a request against its route's contract,
 * in this order: path parameters (the route's `paramErrors`, else 404
 * `not_found`), the body's media type for a bytes body (415
 * `unsupported_media_type`), headers (400 `invalid_header`), query (400
 * `invalid_query`) and the JSON body (400 `invalid_body`; an absent body is
 * read as `{}`). What the schemas read (defaults, numbers from strings) is kept
 * for `parsedRequest`.
 * @throws ApiError as above, with a message naming the first offending field
 */
export function validateRequest(spec: RouteSpec): RequestHandler {
  return (req, res, next) => {
    const params = parseParams(spec, req);
    if (spec.body?.kind === 'bytes' && !req.is(spec.body.contentTypes as string[])) {
      throw new ApiError(415, 'unsupported_media_type', `Send the body as ${spec.body.contentTypes.join(' or ')}.`);
    }
    const parsed: ParsedRequest = {
      params,
      headers: parsePart(spec.headers, req.headers, 'invalid_header', 'headers'),
      query: parsePart(spec.query, req.query, 'invalid_query', 'query'),
      body: spec.body?.kind === 'json' ? parsePart(spec.body.schema, req.body ?? {}, 'invalid_body', 'request body') : undefined,
    };
    (res.locals as Record<symbol, ParsedRequest>)[PARSED] = parsed;
    next();
  };
}

/** What `validateRequest` read from this request. @throws Error when it did not run */
export function parsedRequest(res: Response): ParsedRequest {
  const parsed = (res.locals as Record<symbol, ParsedRequest | undefined>)[PARSED];
  if (!parsed) throw new Error('validateRequest did not run for this route');
  return parsed;
}
