import { pino, type Logger } from 'pino';

/**
 * Creates the server's JSON logger. Secrets never reach it: authorization
 * headers are redacted and request URLs are logged without their query.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
  });
}
