import path from 'node:path';
import type { Logger } from 'pino';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/**
 * Opens the store the settings choose: PostgreSQL at `databaseUrl` (env
 * DATABASE_URL) when set, else SQLite in `dataDir/peerwatch.sqlite`.
 * Either is migrated to the latest schema.
 * @throws DatabaseUnavailableError when PostgreSQL cannot be reached or migrated
 */
export function openStore(config: { databaseUrl: string | null; dataDir: string }, logger: Logger): Promise<Store> {
  if (config.databaseUrl) return openPostgresStore(config.databaseUrl, logger);
  return Promise.resolve(openSqliteStore(path.join(config.dataDir, 'peerwatch.sqlite')));
}
