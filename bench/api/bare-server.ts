import http from 'node:http';

/**
 * The API section's baseline, run as its own process: a bare `node:http`
 * server that answers every request with the bytes in env BARE_BODY as
 * `application/json` (what Peerwatch answered to the same request), doing
 * nothing else. Listens on 127.0.0.1, a free port, and logs
 * `{"msg":"listening","port":N}` on stdout like the Peerwatch server.
 */
const body = Buffer.from(process.env.BARE_BODY ?? '', 'utf8');
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port })}\n`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
