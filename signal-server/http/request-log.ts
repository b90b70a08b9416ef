import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * Middleware: logs each request once its response is over (the response's
 * `close`, which Node emits after `finish` and also when the connection is
 * cut first): at `error` for a 5xx answer, else at `debug`, as
 * `{req: {method, path}, res: {status}, responseTimeMs, aborted?}` with the
 * message `request errored` / `request completed`. The path is logged
 * without its query (which may carry a token). A request whose line would not
 * be logged at the logger's level costs one listener and a clock read.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const startMs = Date.now();
    res.once('close', () => {
      const failed = res.statusCode >= 500;
      const level = failed ? 'error' : 'debug';
      if (!logger.isLevelEnabled(level)) return;
      const entry = {
        req: { method: req.method, path: req.originalUrl.split('?')[0] },
        res: { status: res.statusCode },
        responseTimeMs: Date.now() - startMs,
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      logger[level](entry, failed ? 'request errored' : 'request completed');
    });
    next();
  };
}
