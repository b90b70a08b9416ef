import { stringify } from 'csv-stringify';
import type { Logger } from 'pino';
import { pipeline } from 'node:stream/promises';
import { AUDIT_CSV_COLUMNS, routes, type AuditEvent, type AuditFilter } from '../../protocol/index.js';
import type { ContractRouter } from '../http/contract-router.js';
import { decodeCursor, encodeCursor } from '../motion-events/cursor.js';
import type { AuditRecord, AuditQuery, Store } from '../store/store.js';
import type { LiveViews } from './live-views.js';

/** Rows per page when the query names no limit. */
const DEFAULT_PAGE = 50;
/** Rows read from the store at a time while a CSV export is written. */
const EXPORT_BATCH = 500;
const CSV_TYPE = routes['GET /api/audit.csv'].responses[200].contentTypes[0]!;

const toAuditEvent = ({ householdId: _household, ...row }: AuditRecord): AuditEvent => row;

/** One CSV line of a row, in `AUDIT_CSV_COLUMNS` order. */
function csvLine(row: AuditRecord): Record<(typeof AUDIT_CSV_COLUMNS)[number], string | number | null> {
  const durationMs = typeof row.details.durationMs === 'number' ? row.details.durationMs : null;
  return {
    id: row.id,
    time: new Date(row.atMs).toISOString(),
    atMs: row.atMs,
    kind: row.kind,
    actorKind: row.actor.kind,
    userId: row.actor.userId,
    email: row.actor.email,
    tokenId: row.actor.tokenId,
    deviceId: row.deviceId,
    durationMs,
    address: row.address,
    userAgent: row.userAgent,
    details: JSON.stringify(row.details),
  };
}

/** Every row of `query`'s filter, newest first, read a batch at a time. */
async function* allRows(store: Store, query: Omit<AuditQuery, 'limit' | 'after'>): AsyncGenerator<AuditRecord> {
  let after: AuditQuery['after'];
  for (;;) {
    const batch = await store.audit.list({ ...query, after, limit: EXPORT_BATCH });
    yield* batch;
    if (batch.length < EXPORT_BATCH) return;
    const last = batch[batch.length - 1]!;
    after = { atMs: last.atMs, id: last.id };
  }
}

const filterOf = (householdId: string, q: AuditFilter) => ({
  householdId,
  personId: q.personId,
  deviceId: q.deviceId,
  kind: q.kind,
  fromMs: q.fromMs,
  toMs: q.toMs,
});

/**
 * `/api/audit` (owners; an API token needs `admin`):
 *
 * - `GET /api/audit?personId=&deviceId=&kind=&fromMs=&toMs=&cursor=&limit=`
 *   → `AuditPage`, newest first, keyset-paged by (time, id) like the events
 *   (the same opaque cursor), so rows written meanwhile never shift a page.
 * - `GET /api/audit.csv?…` (the same filters) → every matching row as CSV
 *   (RFC 4180, quoted by `csv-stringify`, formulas escaped), streamed a batch at a time.
 *
 * And `POST /api/live-views/hang-up`: a viewer page's hang-up, checked
 * against the live views signaling saw (`LiveViews.hungUp`).
 */
export function auditRoutes(api: ContractRouter, deps: { store: Store; liveViews: LiveViews; logger: Logger }): void {
  const { store } = deps;

  api.handle('GET /api/audit', async ({ principal, query, reply }, _req, res) => {
    const limit = query.limit ?? DEFAULT_PAGE;
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const after = cursor && { atMs: cursor.startedAtMs, id: cursor.id };
    const rows = await store.audit.list({ ...filterOf(principal.householdId, query), after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? encodeCursor({ startedAtMs: last.atMs, id: last.id }) : null;
    res.set('Cache-Control', 'no-store');
    reply(200, { events: page.map(toAuditEvent), nextCursor });
  });

  api.handle('GET /api/audit.csv', async ({ principal, query }, _req, res) => {
    const stamp = new Date().toISOString().slice(0, 10);
    res.attachment(`peerwatch-audit-${stamp}.csv`);
    res.set({ 'Content-Type': `${CSV_TYPE}; charset=utf-8`, 'Cache-Control': 'private, no-store' });
    const rows = allRows(store, filterOf(principal.householdId, query));
    async function* lines() {
      for await (const row of rows) yield csvLine(row);
    }
    // A cell that begins like a formula (`=`, `+`, `-`, `@`) is prefixed with `'`: a spreadsheet opening the file must not run what a client sent (its user agent).
    const csv = stringify({ header: true, columns: [...AUDIT_CSV_COLUMNS], escape_formulas: true });
    try {
      await pipeline(lines, csv, res);
    } catch (error) {
      // The client left while the file was sent (or a read failed midway): the response cannot say so any more.
      deps.logger.warn({ err: error }, 'audit: the CSV export stopped before its end');
      res.destroy();
    }
  });

  api.handle('POST /api/live-views/hang-up', async ({ principal, body, reply }) => {
    await deps.liveViews.hungUp(principal.userId, body.peerId, body.deviceId);
    reply(204);
  });
}
