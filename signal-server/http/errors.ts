import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ApiErrorBody, ApiErrorCode } from '../../protocol/index.js';

/**
 * An error with an HTTP status and a stable machine-readable code, sent to the
 * client as `{error: {code, message}}`. The message must be safe to show.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const unauthorized = (message = 'Sign in first.') => new ApiError(401, 'unauthorized', message);
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found.`);

/** Sends an error body. */
export function sendError(res: Parameters<RequestHandler>[1], status: number, code: ApiErrorCode, message: string): void {
  const body: ApiErrorBody = { error: { code, message } };
  res.status(status).json(body);
}

/** 404 for unknown API routes. */
export const apiNotFound: RequestHandler = (req, res) => {
  sendError(res, 404, 'not_found', `No API route ${req.method} ${req.path}.`);
};

interface BodyParserError {
  type?: string;
  status?: number;
}

/** body-parser failures that mean the body's media type or charset is not taken (RFC 9110 §15.5.16). */
const UNSUPPORTED_BODY_TYPES = new Set(['charset.unsupported', 'encoding.unsupported']);

/**
 * Last error handler: ApiError as is; body-parser failures as 400 (malformed
 * JSON), 413 (too large) or 415 (charset or encoding); anything else as 500
 * without internals, logged. A request refused while its body is still
 * arriving gets `Connection: close`, so the rest is not read.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (!req.complete) res.set('Connection', 'close');
    if (err instanceof ApiError) {
      sendError(res, err.status, err.code, err.message);
      return;
    }
    const parserError = err as BodyParserError;
    if (parserError.type === 'entity.parse.failed') {
      sendError(res, 400, 'malformed_json', 'The request body is not valid JSON.');
      return;
    }
    if (parserError.type === 'entity.too.large') {
      sendError(res, 413, 'payload_too_large', 'The request body is too large.');
      return;
    }
    if (parserError.type !== undefined && UNSUPPORTED_BODY_TYPES.has(parserError.type)) {
      sendError(res, 415, 'unsupported_media_type', 'The request body’s charset or encoding is not supported.');
      return;
    }
    if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      sendError(res, 400, 'bad_request', 'The request could not be read.');
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    sendError(res, 500, 'internal', 'Something went wrong on the server.');
  };
}
