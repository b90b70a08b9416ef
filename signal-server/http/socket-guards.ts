import type { Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * Status Node itself answers a request it could not parse with (its default
 * `clientError` behaviour, kept): 431 for headers over `maxHeaderSize`
 * (RFC 6585 §5), 408 when the headers or request took too long, else 400.
 */
function clientErrorStatus(code: string | undefined): string {
  if (code === 'HPE_HEADER_OVERFLOW') return '431 Request Header Fields Too Large';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return '408 Request Timeout';
  return '400 Bad Request';
}

/**
 * Keeps what clients do to the raw connections of `server` (an HTTP or HTTPS
 * server) away from the process: a request that cannot be parsed (garbage,
 * oversize headers, slow headers past `headersTimeout`) gets Node's usual
 * answer and its socket is closed; a reset connection or a failed TLS
 * handshake (`tlsClientError`, e.g. plain HTTP sent to the HTTPS port) just
 * closes its socket. Each is logged at debug level, none is thrown.
 * Upgrade sockets get their error listener where they are handled
 * (`SignalingServer.attach`).
 */
export function guardConnections(server: Server, logger: Logger): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    logger.debug({ err }, 'client error');
    // As Node's own handler (lib/_http_server.js socketOnError): no answer once a
    // response on this connection has begun, so as not to corrupt it.
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(`HTTP/1.1 ${clientErrorStatus(err.code)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () =>
      socket.destroy(),
    );
  });
  server.on('tlsClientError', (err: Error, socket: Duplex) => {
    logger.debug({ err }, 'tls client error');
    socket.destroy();
  });
}

/**
 * Middleware: error listeners on every request's body stream and response,
 * so a client that resets the connection while it uploads (a recording chunk)
 * or while it is sent to (an event stream) ends only its own request.
 */
export function guardRequestStreams(logger: Logger): RequestHandler {
  const onError = (err: Error) => logger.debug({ err }, 'request stream error');
  return (req, res, next) => {
    req.on('error', onError);
    res.on('error', onError);
    next();
  };
}
