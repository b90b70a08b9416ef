/**
 * A stock PeerJS server (the `peer` package's PeerServer, default settings)
 * as its own process, for comparison with Peerwatch. Listens on
 * 127.0.0.1:PORT (0 = a free port) at path `/` (socket at `/peerjs`, key
 * `peerjs`) and logs `{"msg":"listening","port":N}` once ready.
 *
 * Env CONCURRENT_LIMIT raises PeerServer's `concurrent_limit` (default
 * 5 000 sockets, past which it answers ERROR "Server has reached its
 * concurrent user limit"); every other option keeps its default.
 */
import type { AddressInfo } from 'node:net';
import { PeerServer } from 'peer';

const concurrentLimit = process.env.CONCURRENT_LIMIT ? Number(process.env.CONCURRENT_LIMIT) : undefined;

PeerServer(
  {
    port: Number(process.env.PORT ?? 0),
    host: '127.0.0.1',
    ...(concurrentLimit ? { concurrent_limit: concurrentLimit } : {}),
  },
  (server) => {
    const { port } = server.address() as AddressInfo;
    console.log(JSON.stringify({ msg: 'listening', port }));
  },
);
process.once('SIGTERM', () => process.exit(0));
