import type { MotionEventWrite } from '../../protocol/index.js';
import { readerOf, visibleDeviceIds } from '../auth/camera-access.js';
import type { ContractRouter } from '../http/contract-router.js';
import { notFound } from '../http/errors.js';
import { requestOrigin } from '../http/request-origin.js';
import type { EventHub } from '../events/event-hub.js';
import { toServerTime } from '../recordings/camera-clock.js';
import type { KeyedMutex } from '../recordings/keyed-mutex.js';
import type { PlaybackTokens } from '../recordings/playback-tokens.js';
import type { MotionEventRow, Store } from '../store/store.js';
import type { MotionEventActivityListener } from './activity.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { toMotionEvent, toMotionEventRecord } from './event-view.js';
import { footageOf } from './footage.js';

/** Page size of `GET /api/events` without `limit`. */
const DEFAULT_PAGE = 50;

/**
 * The event routes of camera events:
 *
 * - `PUT /api/events/:eventId` (camera): creates the event (201) or replaces
 *   what its camera reports of it (200), under the event's lock, its times
 *   moved onto the server's clock as chunk starts are (`toServerTime`); publishes
 *   `motion-started` for a new event (and tells `onActivity`), `motion-updated` when it finds a person, and
 *   `motion-ended` when it gains an end;
 *   tells `onActivity` `person-found` when its kind changes from `motion` to `person`.
 * - `GET /api/events` (user): the household's events, newest first, keyset
 *   paged (`cursor.ts`), each with image URLs carrying one `event-image` token
 *   and its footage (`footageOf` over the camera's recordings covering its start).
 * - `POST /api/events/:eventId/seen` (user): marks it seen (the first time stays).
 *
 * Another household's (or camera's) event answers 404, like an unknown one.
 */
export function motionEventRoutes(
  api: ContractRouter,
  deps: { store: Store; hub: EventHub; locks: KeyedMutex; tokens: PlaybackTokens; onActivity: MotionEventActivityListener },
): void {
  const { store, hub, locks, tokens, onActivity } = deps;

  async function footage(row: MotionEventRow) {
    const covering = await store.recordings.list({
      householdId: row.householdId,
      deviceId: row.deviceId,
      fromMs: row.startedAtMs,
      toMs: row.startedAtMs,
    });
    const named = row.recordingId ? await store.recordings.findById(row.recordingId) : undefined;
    const candidates = named?.householdId === row.householdId ? [named, ...covering] : covering;
    return footageOf(row, candidates);
  }

  async function put(owner: { deviceId: string; householdId: string }, id: string, body: MotionEventWrite) {
    const known = await store.motionEvents.findById(id);
    if (known && known.deviceId !== owner.deviceId) throw notFound('Event');
    const nowMs = Date.now();
    const onServerClock = (cameraTimeMs: number) => toServerTime(cameraTimeMs, body.cameraClockMs, nowMs);
    return store.motionEvents.put({
      id,
      ...owner,
      kind: body.kind,
      startedAtMs: onServerClock(body.startedAtMs),
      endedAtMs: body.endedAtMs === null ? null : onServerClock(body.endedAtMs),
      score: body.score,
      box: body.box,
      recordingId: body.recordingId ?? null,
      footageOffsetMs: body.footageOffsetMs ?? null,
      seenAtMs: null,
      createdAtMs: nowMs,
    });
  }

  api.handle('PUT /api/events/:eventId', async ({ principal, params, body, reply }, req) => {
    const owner = { deviceId: principal.deviceId, householdId: principal.householdId };
    const { before, after } = await locks.run(params.eventId, () => put(owner, params.eventId, body));
    const event = toMotionEventRecord(after);
    if (!before) {
      hub.publish(owner.householdId, { type: 'motion-started', event });
      onActivity({ type: 'started', event: after, origin: requestOrigin(req) });
    } else if (before.kind === 'motion' && after.kind === 'person') {
      hub.publish(owner.householdId, { type: 'motion-updated', event });
      onActivity({ type: 'person-found', event: after, origin: requestOrigin(req) });
    }
    if (after.endedAtMs !== null && (before?.endedAtMs ?? null) === null) {
      hub.publish(owner.householdId, { type: 'motion-ended', event });
    }
    reply(before ? 200 : 201, event);
  });

  api.handle('GET /api/events', async ({ principal, query, reply }, req, res) => {
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await store.motionEvents.list({
      householdId: principal.householdId,
      deviceId: query.deviceId,
      deviceIds: visibleDeviceIds(readerOf(principal)),
      kind: query.kind,
      fromMs: query.from,
      toMs: query.to,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const origin = requestOrigin(req);
    const events = await Promise.all(
      page.map(async (row) =>
        toMotionEvent(row, `${origin}/api/events/${row.id}`, tokens.issue(row, principal).token, await footage(row)),
      ),
    );
    const last = page.at(-1);
    res.set('Cache-Control', 'no-store');
    reply(200, { events, nextCursor: rows.length > limit && last ? encodeCursor(last) : null });
  });

  api.handle('POST /api/events/:eventId/seen', async ({ principal, params, reply }) => {
    const event = await store.motionEvents.findById(params.eventId);
    if (!event || event.householdId !== principal.householdId) throw notFound('Event');
    const seen = await store.motionEvents.markSeen(event.id, Date.now());
    if (!seen) throw notFound('Event');
    reply(200, toMotionEventRecord(seen));
  });
}
