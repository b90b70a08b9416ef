import type { AddressInfo, Server } from 'node:net';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { openStore } from './store/open-store.js';
import { DatabaseUnavailableError } from './store/postgres/postgres-store.js';
import { createPeerwatchServer } from './app.js';
import { lanAddresses } from './net/lan-addresses.js';
import { serverCertificate } from './tls/certificate.js';
import { phoneUrls, startupBanner } from './startup/banner.js';

/**
 * Starts Peerwatch: an HTTP server on PORT and, unless HTTPS=off, an HTTPS
 * server on HTTPS_PORT, both serving the PWA, the API and PeerJS signaling,
 * with the store `openStore` picks (PostgreSQL at DATABASE_URL, else SQLite
 * under DATA_DIR). Logs
 * `{"msg":"listening","port":N,"httpsPort":M|null}` once both are ready, then
 * prints the URLs a phone can open (the first as a QR code); stops cleanly on
 * SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // A bug in one request's code outside Express (which answers those 500
  // itself) must not stop every camera of every household: log it, keep serving.
  process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception; still serving'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection; still serving'));
  const lan = lanAddresses();
  const certificate = config.https ? await serverCertificate(config.https, config.dataDir, lan) : null;
  if (certificate) {
    const { source, created, fingerprint256, validToMs } = certificate;
    logger.info({ source, created, fingerprint256, validToMs }, 'tls certificate');
  }
  const store = await openStore(config, logger);
  const server = createPeerwatchServer(config, store, logger, certificate);
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  const port = await listen(server.httpServer, config.port, config.host, 'choose another with PORT');
  let httpsPort: number | null = null;
  if (server.httpsServer && config.https) {
    const hint = 'choose another with HTTPS_PORT, or set HTTPS=off';
    httpsPort = await listen(server.httpsServer, config.https.port, config.host, hint);
  }
  const reach = { host: config.host, httpPort: port, httpsPort, lanIpv4: lan.ipv4 };
  server.setPhoneUrl(phoneUrls(reach)[0] ?? null);
  logger.info({ port, httpsPort, dataDir: config.dataDir }, 'listening');
  process.stdout.write(await startupBanner({ ...reach, certificate }));
}

/**
 * Starts `server` listening and resolves with its port.
 * @param inUseHint what to tell the user when the port is taken (which env setting to change).
 * @throws Error when the port is taken or cannot be bound.
 */
function listen(server: Server, port: number, host: string, inUseHint: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'EADDRINUSE' ? ` (the port is in use: ${inUseHint})` : '';
      reject(new Error(`cannot listen on ${host} port ${port}${hint}: ${error.message}`));
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

main().catch((error: unknown) => {
  // A database that cannot be reached is a setting to fix, not a bug: its message says enough.
  console.error(error instanceof DatabaseUnavailableError ? `peerwatch: ${error.message}` : error);
  process.exit(1);
});
