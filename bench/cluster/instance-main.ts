/**
 * One Peerwatch instance for the cluster benchmark, as its own process: the
 * real `createPeerwatchServer` with signaling across instances on the Redis
 * at REDIS_URL, over the SQLite file SQLITE_FILE that every instance of the
 * run opens (WAL mode and a busy timeout let several processes share it:
 * the stand-in here for the shared database), its own DATA_DIR and the
 * shared JWT_SECRET. Listens on 127.0.0.1:PORT (0: a free port) and logs `{"msg":"listening","port":N}` on stdout, as
 * signal-server/main.ts does; stops on SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import { createPeerwatchServer } from '../../signal-server/app.js';
import { loadConfig } from '../../signal-server/config.js';
import { createLogger } from '../../signal-server/logger.js';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
const sqliteFile = process.env.SQLITE_FILE;
if (!sqliteFile || !config.redisUrl) throw new Error('SQLITE_FILE and REDIS_URL must be set');
const server = createPeerwatchServer(config, openSqliteStore(sqliteFile), logger);
await server.signaling.ready;
server.httpServer.listen(config.port, '127.0.0.1', () => {
  const { port } = server.httpServer.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port, instanceId: config.instanceId })}\n`);
});
process.once('SIGTERM', () => {
  server.close().finally(() => process.exit(0));
});
