import pg from 'pg';
import type { Row } from '../rows.js';

/** A pool or one of its clients (inside a transaction): what a query runs on. */
export type Queryable = pg.Pool | pg.PoolClient;

/** OID of PostgreSQL's `int8` (BIGINT), the type of every `*_ms` and byte column and of `COUNT(*)` (catalog `pg_type`). */
const INT8_OID = 20;

/**
 * Type parsers of the store's pool: BIGINT as a JavaScript number (node-postgres
 * returns it as a string, as it may exceed 2^53; Peerwatch's times in ms and
 * sizes in bytes stay far below that), everything else as node-postgres does.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** How long getting a connection may take before the query fails, ms (a database host that does not answer). */
const CONNECT_TIMEOUT_MS = 10_000;

/** A pool of up to 10 connections to `url` (a `postgres://` URL) whose BIGINT columns read as numbers. */
export function createPool(url: string): pg.Pool {
  return new pg.Pool({ connectionString: url, types, max: 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
}

/** The rows `text` returns with `params` ($1, $2… in order). */
export async function rows(db: Queryable, text: string, params: unknown[] = []): Promise<Row[]> {
  return (await db.query<Row>(text, params)).rows;
}

/** The first row `text` returns, mapped by `to`, or undefined when there is none. */
export async function one<T>(db: Queryable, text: string, params: unknown[], to: (row: Row) => T): Promise<T | undefined> {
  const [row] = await rows(db, text, params);
  return row && to(row);
}

/**
 * Inserts one row into `table`, `values` by column name (names from code,
 * never from input; the values go as parameters).
 */
export async function insertRow(db: Queryable, table: string, values: Record<string, unknown>): Promise<void> {
  const columns = Object.keys(values);
  const placeholders = columns.map((_column, i) => `$${i + 1}`);
  await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders.join(', ')})`, Object.values(values));
}

/** How many rows `text` inserted, changed or deleted. */
export async function changes(db: Queryable, text: string, params: unknown[] = []): Promise<number> {
  return (await db.query(text, params)).rowCount ?? 0;
}

/**
 * Runs `fn` in one transaction on one client of `pool` (BEGIN … COMMIT),
 * rolling back when it throws. Row locks taken inside (`SELECT … FOR UPDATE`)
 * are held until the end.
 * @returns what `fn` returns. @throws what `fn` or the database throws (after ROLLBACK)
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  /** Set when ROLLBACK failed (the connection broke): the client is then destroyed, not reused. */
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // The server rolls back by itself when the connection is gone.
    broken = await client.query('ROLLBACK').then(
      () => undefined,
      (rollbackError: unknown) => rollbackError as Error,
    );
    throw error;
  } finally {
    client.release(broken);
  }
}

/** PostgreSQL's SQLSTATE of a unique violation (Appendix A, "PostgreSQL Error Codes"). */
export const UNIQUE_VIOLATION = '23505';
