import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { routes } from '../../protocol/index.js';
import type { RecordingRecord, Store } from '../store/store.js';
import type { Principal } from '../auth/principal.js';
import { seenFrom, type AuditLog } from '../audit/audit-log.js';
import { maySee, readerOf, type CameraReader } from '../auth/camera-access.js';
import type { ContractRouter } from '../http/contract-router.js';
import { ApiError, notFound, unauthorized } from '../http/errors.js';
import { requestOrigin } from '../http/request-origin.js';
import type { ChunkStore } from './chunk-store.js';
import type { KeyedMutex } from './keyed-mutex.js';
import type { PlaybackTokens } from './playback-tokens.js';
import { buildMediaPlaylist, playableChunks } from './playlist.js';
import { toRecordingSummary } from './recording-view.js';
import { uploadChunkRoute } from './upload-route.js';

/** Media types of HLS (RFC 8216 §4) and of fMP4 segments (RFC 8216 §3.3, ISO BMFF "iso.segment"), as the route table declares them. */
const PLAYLIST_TYPE = routes['GET /api/recordings/:id/playlist.m3u8'].responses[200].contentTypes[0]!;
const INIT_TYPE = routes['GET /api/recordings/:id/init.mp4'].responses[200].contentTypes[0]!;
const SEGMENT_TYPE = routes['GET /api/recordings/:id/segments/:seq.m4s'].responses[200].contentTypes[0]!;

/** File name of a downloaded recording: camera name and start time (UTC), e.g. `Front door 2026-11-21 08-45-03Z.mp4`. */
function downloadName(cameraName: string, startedAtMs: number): string {
  const stamp = new Date(startedAtMs).toISOString().slice(0, 19).replace('T', ' ').replaceAll(':', '-');
  return `${cameraName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_')} ${stamp}Z.mp4`;
}

/**
 * `/api/recordings`:
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
export function recordingRoutes(
  api: ContractRouter,
  deps: {
    store: Store;
    chunks: ChunkStore;
    locks: KeyedMutex;
    tokens: PlaybackTokens;
    /** The principal of an `Authorization` header value, or undefined. */
    resolve: (authorization: string | undefined) => Promise<Principal | undefined>;
    chunkMaxBytes: number;
    maxAgeMs: number;
    onChunkStored: (sizeBytes: number) => void;
    audit: AuditLog;
  },
): void {
  const { store, chunks, tokens } = deps;

  /** Recording `id` if `reader` may see its camera. @throws ApiError 404 otherwise (also for another household's). */
  async function visibleRecording(reader: CameraReader, id: string): Promise<RecordingRecord> {
    const recording = await store.recordings.findById(id);
    if (!recording || !maySee(reader, recording.householdId, recording.deviceId)) throw notFound('Recording');
    return recording;
  }

  /** The recording a media request may read (by its playback token or credential), and the query its URIs must carry. */
  async function mediaRecording(
    req: Request,
    id: string,
    token: string | undefined,
  ): Promise<{ recording: RecordingRecord; query: string; reader: CameraReader }> {
    const principal = token === undefined ? await deps.resolve(req.get('authorization')) : undefined;
    const reader = token !== undefined ? await tokens.verify(token, id) : principal && readerOf(principal);
    if (!reader) throw unauthorized('This playback link is invalid or has expired; open the recording again.');
    const query = token !== undefined ? `?token=${encodeURIComponent(token)}` : '';
    return { recording: await visibleRecording(reader, id), query, reader };
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

  api.handle('PUT /api/recordings/:recordingId/chunks/:seq', uploadChunkRoute(deps));

  api.handle('GET /api/recordings', async ({ principal, query, reply }, _req, res) => {
    if (principal.kind === 'device' && query.deviceId !== undefined && query.deviceId !== principal.deviceId) {
      throw new ApiError(403, 'forbidden', 'A camera may list only its own recordings.');
    }
    const reader = readerOf(principal);
    const records = await store.recordings.list({
      householdId: principal.householdId,
      deviceId: principal.kind === 'device' ? principal.deviceId : query.deviceId,
      fromMs: query.from,
      toMs: query.to,
    });
    res.set('Cache-Control', 'no-store');
    reply(200, records.filter((r) => maySee(reader, r.householdId, r.deviceId)).map(toRecordingSummary));
  });

  api.handle('GET /api/recordings/:id/playback', async ({ principal, params, reply }, req, res) => {
    const recording = await visibleRecording(readerOf(principal), params.id);
    const { token, expiresAtMs } = tokens.issue(recording, principal);
    const base = `${requestOrigin(req)}/api/recordings/${recording.id}`;
    const query = `?token=${encodeURIComponent(token)}`;
    res.set('Cache-Control', 'no-store');
    reply(200, { playlistUrl: `${base}/playlist.m3u8${query}`, downloadUrl: `${base}/recording.mp4${query}`, expiresAtMs });
  });

  api.handle('GET /api/recordings/:id/playlist.m3u8', async ({ params, query: { token } }, req, res) => {
    const { recording, query, reader } = await mediaRecording(req, params.id, token);
    await deps.audit.recordRead('recording-played', reader, seenFrom(req), recording.id, { deviceId: recording.deviceId, details: { recordingId: recording.id } });
    const stored = await store.recordings.chunks(recording.id);
    const playlist = buildMediaPlaylist(
      { chunks: stored, finalSeq: recording.finalSeq, closed: recording.closedAtMs !== null },
      query,
    );
    res.set({ 'Content-Type': PLAYLIST_TYPE, 'Cache-Control': 'no-cache' }).send(playlist);
  });

  api.handle('GET /api/recordings/:id/init.mp4', async ({ params, query: { token } }, req, res) => {
    await sendChunk(res, (await mediaRecording(req, params.id, token)).recording, 0, INIT_TYPE);
  });

  api.handle('GET /api/recordings/:id/segments/:seq.m4s', async ({ params, query: { token } }, req, res) => {
    const { recording } = await mediaRecording(req, params.id, token);
    await sendChunk(res, recording, params.seq, SEGMENT_TYPE);
  });

  api.handle('GET /api/recordings/:id/recording.mp4', async ({ params, query: { token } }, req, res) => {
    const { recording, reader } = await mediaRecording(req, params.id, token);
    const parts = playableChunks(await store.recordings.chunks(recording.id));
    if (parts.length < 2) throw notFound('Footage of this recording');
    await deps.audit.recordRead('recording-downloaded', reader, seenFrom(req), recording.id, { deviceId: recording.deviceId, details: { recordingId: recording.id } });
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
}
