import type { Request, Response } from 'express';

/** Interval of SSE comment lines that keep idle connections (and proxies) open, ms. */
const KEEPALIVE_MS = 15_000;

/**
 * Turns a response into a Server-Sent Events stream (HTML Living Standard
 * §9.2): sends the headers, `retry: 2000` and an `event: ready`, then keeps
 * the connection alive with comment lines until the client goes.
 * @returns a function that sends one event as `event: <type>` + `data: <JSON>`.
 */
export function openEventStream(req: Request, res: Response): (event: { type: string }) => void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\nevent: ready\ndata: {}\n\n');
  const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
  req.on('close', () => clearInterval(keepalive));
  return (event) => res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}
