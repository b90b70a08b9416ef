import type { Logger } from 'pino';
import type { Store } from '../store.js';
import { postgresAccountRepositories } from './accounts.js';
import { postgresApiTokenRepository } from './api-tokens.js';
import { postgresAuditRepository } from './audit.js';
import { postgresCameraRepositories } from './camera-settings.js';
import { createPool } from './db.js';
import { postgresDeviceRepositories } from './devices.js';
import { postgresLocks } from './locks.js';
import { postgresMemberRepositories } from './members.js';
import { migratePostgres } from './migrations.js';
import { postgresMotionEventRepository } from './motion-events.js';
import { postgresNotificationRepositories } from './notifications.js';
import { postgresRecordingRepositories } from './recordings.js';

/** The database could not be reached or migrated at start-up; `message` says where and why (no password). */
export class DatabaseUnavailableError extends Error {}

/** `url` with its password (if any) left out, to show in messages. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(a malformed DATABASE_URL)';
  }
}

/**
 * Opens the PostgreSQL store at `url` (`postgres://user:password@host:port/database`,
 * node-postgres connection string): a pool of connections, checked with one
 * query, then migrated (`migratePostgres`; several servers may start at once).
 * Errors of idle pooled connections (the server restarted) are logged; the
 * pool replaces such connections.
 * @throws DatabaseUnavailableError when the database cannot be reached or migrated
 */
export async function openPostgresStore(url: string, logger: Logger): Promise<Store> {
  const pool = createPool(url);
  pool.on('error', (err) => logger.error({ err }, 'postgres: an idle connection failed'));
  try {
    await pool.query('SELECT 1');
    const applied = await migratePostgres(pool);
    if (applied.length > 0) logger.info({ applied }, 'postgres: schema migrated');
  } catch (error) {
    await pool.end().catch((endError: unknown) => logger.warn({ err: endError }, 'postgres: pool did not close'));
    const reason = error instanceof Error ? error.message || (error as NodeJS.ErrnoException).code : String(error);
    throw new DatabaseUnavailableError(`cannot open the PostgreSQL database ${withoutPassword(url)} (DATABASE_URL): ${reason}`, {
      cause: error,
    });
  }
  return {
    ...postgresAccountRepositories(pool),
    ...postgresDeviceRepositories(pool),
    ...postgresMemberRepositories(pool),
    ...postgresApiTokenRepository(pool),
    ...postgresRecordingRepositories(pool),
    ...postgresCameraRepositories(pool),
    ...postgresMotionEventRepository(pool),
    ...postgresNotificationRepositories(pool),
    ...postgresAuditRepository(pool),
    locks: postgresLocks(pool),
    async close() {
      await pool.end();
    },
  };
}
