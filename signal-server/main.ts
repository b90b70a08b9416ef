import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { openSqliteStore } from './store/sqlite-store.js';
import { createPeerwatchServer } from './app.js';

/**
 * Starts Peerwatch: one HTTP server on PORT serving the PWA, the API and
 * PeerJS signaling, with its SQLite store under DATA_DIR. Logs
 * `{"msg":"listening","port":N}` once ready; stops cleanly on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const store = openSqliteStore(path.join(config.dataDir, 'peerwatch.sqlite'));
  const server = createPeerwatchServer(config, store, logger);
  server.httpServer.listen(config.port, config.host, () => {
    const { port } = server.httpServer.address() as AddressInfo;
    logger.info({ port, dataDir: config.dataDir }, 'listening');
    logger.info(`Peerwatch is running: open http://localhost:${port}`);
  });
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
