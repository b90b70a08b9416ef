import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { RecordingPlayback } from '../api-types.js';
import type { RecordingRecord, Store } from '../store/store.js';
import type { JwtIssuer } from '../auth/jwt.js';
import type { SessionIssuer } from '../auth/sessions.js';
import { principalOf, resolveAuthorization, userOf } from '../auth/principal.js';
import { ApiError, notFound, unauthorized } from '../http/errors.js';
import { requestOrigin } from '../http/request-origin.js';
import { ChunkTooLargeError, type ChunkStore } from './chunk-store.js';
import type { KeyedMutex } from './keyed-mutex.js';
import type { PlaybackTokens } from './playback-tokens.js';
import { buildMediaPlaylist, playableChunks } from './playlist.js';
import { isRecordingId } from './recording-id.js';
import { toRecordingSummary } from './recording-view.js';
import { uploadChunkRoute } from './upload-route.js';

/** Media types of HLS (RFC 8216 §4) and of fMP4 segments (RFC 8216 §3.3, ISO BMFF "iso.segment"). */
const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';
const INIT_TYPE = 'video/mp4';
const SEGMENT_TYPE = 'video/iso.segment';

/** File name of a downloaded recording: camera name and start time (UTC), e.g. `Front door 2026-11-21 08-45-03Z.mp4`. */
function downloadName(cameraName: string, startedAtMs: number): string {
  const stamp = new Date(startedAtMs).toISOString().slice(0, 19).replace('T', ' ').replaceAll(':', '-');
  return `${cameraName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_')} ${stamp}Z.mp4`;
}

/** A non-negative whole number of ms from the query, or undefined when absent. @throws ApiError 400 `invalid_query` */
function msFromQuery(req: Request, name: string): number | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d{1,16}$/.test(raw)) {
    throw new ApiError(400, 'invalid_query', `${name} must be a time in ms since the epoch.`);
  }
  return Number(raw);
}

/**
 * Errors of recording routes: a chunk over the size limit becomes 413; a
 * refused upload whose body is still arriving closes the connection instead of
 * reading the rest.
 */
const uploadErrors: ErrorRequestHandler = (err, req, res, next) => {
  if (!req.complete) res.set('Connection', 'close');
  next(
    err instanceof ChunkTooLargeError
      ? new ApiError(413, 'chunk_too_large', `A chunk may be at most ${err.maxBytes} bytes.`)
      : err,
  );
};

/**
 * `/api/recordings` (mounted before the JSON body parser, so chunk bodies
 * reach the upload route unread):
 *
 * - `PUT /:recordingId/chunks/:seq` (camera): see `uploadChunkRoute`.
 * - `GET /?deviceId=&from=&to=` (user: the household's; camera: its own) →
 *   `RecordingSummary[]`, newest first; `from`/`to` in ms select by overlap.
 * - `GET /:id/playback` (user) → `RecordingPlayback`: a playlist URL with a
 *   playback token.
 * - `GET /:id/playlist.m3u8`, `/:id/init.mp4`, `/:id/segments/<seq>.m4s`
 *   (`?token=` or an `Authorization` header): the HLS media playlist
 *   (`buildMediaPlaylist`) and the chunks it names.
 * - `GET /:id/recording.mp4` (the same): the playable chunks joined into one
 *   MP4 file, as an attachment named after the camera and the start time.
 *
 * Another household's recording answers 404, exactly like an unknown one.
 */
export function recordingRoutes(deps: {
  store: Store;
  chunks: ChunkStore;
  locks: KeyedMutex;
  jwt: JwtIssuer;
  sessions: SessionIssuer;
  tokens: PlaybackTokens;
  authenticate: RequestHandler;
  chunkMaxBytes: number;
  maxAgeMs: number;
}): Router {
  const { store, chunks, tokens, authenticate } = deps;
  const router = Router();

  async function ownRecording(householdId: string, id: string): Promise<RecordingRecord> {
    const recording = isRecordingId(id) ? await store.recordings.findById(id) : undefined;
    if (!recording || recording.householdId !== householdId) throw notFound('Recording');
    return recording;
  }

  /** The recording a media request may read, and the query its URIs must carry. */
  async function mediaRecording(req: Request): Promise<{ recording: RecordingRecord; query: string }> {
    const id = String(req.params.id);
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    const householdId =
      token !== undefined
        ? tokens.verify(token, id)
        : (await resolveAuthorization(req.get('authorization'), deps.jwt, store, deps.sessions))?.householdId;
    if (!householdId) throw unauthorized('This playback link is invalid or has expired; open the recording again.');
    const query = token !== undefined ? `?token=${encodeURIComponent(token)}` : '';
    return { recording: await ownRecording(householdId, id), query };
  }

  async function sendChunk(res: Response, recording: RecordingRecord, seq: number, type: string): Promise<void> {
    const row = await store.recordings.findChunk(recording.id, seq);
    if (!row) throw notFound('Segment');
    const body = await chunks.read(recording.id, seq);
    res.set({
      'Content-Type': type,
      'Content-Length': String(row.sizeBytes),
      'Cache-Control': 'private, max-age=3600',
    });
    await pipeline(body, res).catch((error: unknown) => {
      if (!res.destroyed) throw error;
    });
  }

  router.put('/:recordingId/chunks/:seq', authenticate, uploadChunkRoute(deps));

  router.get('/', authenticate, async (req, res) => {
    const principal = principalOf(res);
    const requested = typeof req.query.deviceId === 'string' ? req.query.deviceId : undefined;
    if (principal.kind === 'device' && requested !== undefined && requested !== principal.deviceId) {
      throw new ApiError(403, 'forbidden', 'A camera may list only its own recordings.');
    }
    const records = await store.recordings.list({
      householdId: principal.householdId,
      deviceId: principal.kind === 'device' ? principal.deviceId : requested,
      fromMs: msFromQuery(req, 'from'),
      toMs: msFromQuery(req, 'to'),
    });
    res.set('Cache-Control', 'no-store').json(records.map(toRecordingSummary));
  });

  router.get('/:id/playback', authenticate, async (req, res) => {
    const recording = await ownRecording(userOf(res).householdId, String(req.params.id));
    const { token, expiresAtMs } = tokens.issue(recording);
    const base = `${requestOrigin(req)}${req.baseUrl}/${recording.id}`;
    const query = `?token=${encodeURIComponent(token)}`;
    const body: RecordingPlayback = {
      playlistUrl: `${base}/playlist.m3u8${query}`,
      downloadUrl: `${base}/recording.mp4${query}`,
      expiresAtMs,
    };
    res.set('Cache-Control', 'no-store').json(body);
  });

  router.get('/:id/playlist.m3u8', async (req, res) => {
    const { recording, query } = await mediaRecording(req);
    const stored = await store.recordings.chunks(recording.id);
    const playlist = buildMediaPlaylist(
      { chunks: stored, finalSeq: recording.finalSeq, closed: recording.closedAtMs !== null },
      query,
    );
    res.set({ 'Content-Type': PLAYLIST_TYPE, 'Cache-Control': 'no-cache' }).send(playlist);
  });

  router.get('/:id/init.mp4', async (req, res) => {
    await sendChunk(res, (await mediaRecording(req)).recording, 0, INIT_TYPE);
  });

  router.get('/:id/segments/:seq.m4s', async (req, res) => {
    const { recording } = await mediaRecording(req);
    const seqText = String(req.params.seq);
    if (!/^[1-9]\d{0,6}$/.test(seqText)) throw notFound('Segment');
    await sendChunk(res, recording, Number(seqText), SEGMENT_TYPE);
  });

  router.get('/:id/recording.mp4', async (req, res) => {
    const { recording } = await mediaRecording(req);
    const parts = playableChunks(await store.recordings.chunks(recording.id));
    if (parts.length < 2) throw notFound('Footage of this recording');
    const camera = await store.devices.findById(recording.deviceId);
    res.attachment(downloadName(camera?.name ?? 'Camera', recording.startedAtMs));
    res.set({
      'Content-Type': INIT_TYPE,
      'Content-Length': String(parts.reduce((sum, chunk) => sum + chunk.sizeBytes, 0)),
      'Cache-Control': 'private, no-store',
    });
    // One pipeline over all the chunk files (one per chunk would stack listeners on the response).
    async function* joined() {
      for (const chunk of parts) yield* await chunks.read(recording.id, chunk.seq);
    }
    try {
      await pipeline(joined, res);
    } catch {
      // Removed (retention) or the client left while the file was sent: the response cannot say so any more.
      res.destroy();
    }
  });

  router.use(uploadErrors);
  return router;
}
