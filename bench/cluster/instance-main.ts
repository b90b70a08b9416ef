/**
 * One Peerwatch instance for the cluster benchmark, as its own process: the
 * real `createPeerwatchServer` with signaling across instances on the Redis
 * at REDIS_URL, over the PostgreSQL database at DATABASE_URL that every
 * instance of the run shares (the real store, `openStore`), its own DATA_DIR
 * and the shared JWT_SECRET. Listens on 127.0.0.1:PORT (0: a free port) once
 * its signaling is ready and logs `{"msg":"listening","port":N}` on stdout
 * whatever LOG_LEVEL is (signal-server/main.ts logs it at level info); stops
 * on SIGTERM.
 * @throws Error when DATABASE_URL or REDIS_URL is not set
 */
import type { AddressInfo } from 'node:net';
import { createPeerwatchServer } from '../../signal-server/app.js';
import { loadConfig } from '../../signal-server/config.js';
import { createLogger } from '../../signal-server/logger.js';
import { openStore } from '../../signal-server/store/open-store.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
if (!config.databaseUrl || !config.redisUrl) throw new Error('DATABASE_URL and REDIS_URL must be set');
const server = createPeerwatchServer(config, await openStore(config, logger), logger);
await server.signaling.ready;
server.httpServer.listen(config.port, '127.0.0.1', () => {
  const { port } = server.httpServer.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port, instanceId: config.instanceId })}\n`);
});
process.once('SIGTERM', () => {
  server.close().finally(() => process.exit(0));
});
