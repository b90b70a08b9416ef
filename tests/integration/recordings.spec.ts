import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseHls } from 'hls-parser';
import type { MediaPlaylist } from 'hls-parser/types.js';
import type { RecordingSummary } from '../../protocol/index.js';
import { TestServer } from '../support/server.js';
import { footageChunks, footageFmp4, probeDurationS } from '../support/fmp4.js';
import {
  EventStreamReader,
  newRecordingId,
  pairCamera,
  randomChunks,
  uploadChunk,
  uploadRecording,
  type PairedCamera,
} from '../support/recording-client.js';
import { playbackOf } from '../support/recording-checks.js';

const CHUNK_MAX_BYTES = 1024 * 1024;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function listRecordings(server: TestServer, auth: string, query = ''): Promise<RecordingSummary[]> {
  const res = await server.request('GET', `/api/recordings${query}`, { auth });
  expect(res.status).toBe(200);
  return res.body as RecordingSummary[];
}

async function fetchPlaylist(url: string): Promise<MediaPlaylist> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/vnd.apple.mpegurl');
  return parseHls(await res.text()) as MediaPlaylist;
}

/** Files below DATA_DIR/recordings, as paths relative to it. */
function storedFiles(dataDir: string): string[] {
  const root = path.join(dataDir, 'recordings');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

test.describe('recording upload and playback', () => {
  let server: TestServer;
  test.beforeAll(async () => {
    server = await TestServer.start({ env: { RECORDING_CHUNK_MAX_BYTES: String(CHUNK_MAX_BYTES) } });
  });
  test.afterAll(async () => server.stop());

  test('a real fMP4 recording uploads as chunks and plays as HLS in ffmpeg through a playback URL', async () => {
    // The footage first: ffmpeg runs synchronously, and a blocked event loop would miss the
    // server closing an idle keep-alive socket (5 s), then send the first chunk on it.
    const startedAtMs = Date.now() - 60_000;
    const chunks = footageChunks(startedAtMs);
    const user = await server.register();
    const camera = await pairCamera(server, user.accessToken);
    const recordingId = newRecordingId();

    await uploadRecording(server, camera, recordingId, chunks.slice(0, 6), { final: false });
    const growing = await fetchPlaylist((await playbackOf(server, user.accessToken, recordingId)).playlistUrl);
    expect(growing.playlistType).toBe('EVENT');
    expect(growing.endlist).toBe(false);
    expect(growing.segments).toHaveLength(5);

    await uploadRecording(server, camera, recordingId, chunks.slice(6));
    const [summary] = await listRecordings(server, `Bearer ${user.accessToken}`);
    expect(summary).toEqual({
      id: recordingId,
      deviceId: camera.deviceId,
      startedAtMs,
      durationMs: chunks.at(-1)!.startMs + chunks.at(-1)!.durationMs - startedAtMs,
      sizeBytes: chunks.reduce((sum, c) => sum + c.bytes.length, 0),
      chunkCount: chunks.length,
      complete: true,
    });

    const { playlistUrl, expiresAtMs } = await playbackOf(server, user.accessToken, recordingId);
    expect(expiresAtMs).toBeGreaterThan(Date.now());
    const playlist = await fetchPlaylist(playlistUrl);
    expect(playlist.playlistType).toBe('VOD');
    expect(playlist.endlist).toBe(true);
    expect(playlist.version).toBe(7);
    expect(playlist.mediaSequenceBase).toBe(0);
    expect(playlist.segments).toHaveLength(chunks.length - 1);
    const maxDurationS = Math.max(...playlist.segments.map((s) => s.duration));
    expect(playlist.targetDuration).toBe(Math.ceil(maxDurationS));
    expect(playlist.segments[0]!.map?.uri).toMatch(/^init\.mp4\?token=/);
    expect(playlist.segments.map((s) => s.uri.split('?')[0])).toEqual(
      chunks.slice(1).map((c) => `segments/${c.seq}.m4s`),
    );

    const sourceS = probeDurationS(footageFmp4());
    const playlistS = playlist.segments.reduce((sum, s) => sum + s.duration, 0);
    expect(Math.abs(playlistS - sourceS)).toBeLessThanOrEqual(maxDurationS);

    const init = await fetch(new URL(playlist.segments[0]!.map!.uri, playlistUrl));
    expect(init.headers.get('content-type')).toBe('video/mp4');
    expect(sha256(new Uint8Array(await init.arrayBuffer()))).toBe(chunks[0]!.sha256);
    const segment = await fetch(new URL(playlist.segments[2]!.uri, playlistUrl));
    expect(segment.headers.get('content-type')).toBe('video/iso.segment');
    expect(sha256(new Uint8Array(await segment.arrayBuffer()))).toBe(chunks[3]!.sha256);

    const ffmpeg = spawnSync(
      'ffmpeg',
      ['-hide_banner', '-nostats', '-v', 'error', '-progress', 'pipe:1', '-i', playlistUrl, '-f', 'null', '-'],
      {
        encoding: 'utf8',
      },
    );
    expect(ffmpeg.stderr).toBe('');
    expect(ffmpeg.status).toBe(0);
    const decodedUs = Math.max(...[...ffmpeg.stdout.matchAll(/^out_time_us=(\d+)$/gm)].map((m) => Number(m[1])));
    expect(Math.abs(decodedUs / 1e6 - sourceS)).toBeLessThanOrEqual(maxDurationS);
    expect(probeDurationS(playlistUrl)).toBeCloseTo(sourceS, 0);

    // The download is the chunks joined in order: one MP4 file ffprobe reads with the same duration.
    const { downloadUrl } = await playbackOf(server, user.accessToken, recordingId);
    const download = await fetch(downloadUrl);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('video/mp4');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="Camera \d{4}-\d\d-\d\d \d\d-\d\d-\d\dZ\.mp4"$/);
    const file = Buffer.from(await download.arrayBuffer());
    expect(sha256(file)).toBe(sha256(Buffer.concat(chunks.map((c) => c.bytes))));
    const saved = path.join(mkdtempSync(path.join(tmpdir(), 'peerwatch-download-')), 'recording.mp4');
    writeFileSync(saved, file);
    expect(probeDurationS(saved)).toBeCloseTo(sourceS, 0);
    // Without the token or the household's credential: refused, as for the playlist.
    expect((await fetch(downloadUrl.split('?')[0]!)).status).toBe(401);
    const stranger = await server.register();
    const foreign = await fetch(downloadUrl.split('?')[0]!, { headers: { authorization: `Bearer ${stranger.accessToken}` } });
    expect(foreign.status).toBe(404);
  });

  test('the playlist stops at the first missing chunk and grows when the gap is filled', async () => {
    const user = await server.register();
    const camera = await pairCamera(server, user.accessToken);
    const chunks = randomChunks(6, 2000, Date.now());
    const recordingId = newRecordingId();
    for (const chunk of [chunks[0]!, chunks[1]!, chunks[3]!, chunks[4]!]) {
      expect((await uploadChunk(server, camera, recordingId, chunk)).status).toBe(201);
    }
    expect((await uploadChunk(server, camera, recordingId, chunks[5]!, { final: true })).status).toBe(201);
    const { playlistUrl } = await playbackOf(server, user.accessToken, recordingId);
    const before = await fetchPlaylist(playlistUrl);
    expect(before.segments.map((s) => s.uri.split('?')[0])).toEqual(['segments/1.m4s']);
    expect(before.endlist).toBe(false);
    expect((await listRecordings(server, camera.auth))[0]!.complete).toBe(false);

    expect((await uploadChunk(server, camera, recordingId, chunks[2]!)).status).toBe(201);
    const after = await fetchPlaylist(playlistUrl);
    expect(after.segments).toHaveLength(5);
    expect(after.endlist).toBe(true);
    expect((await listRecordings(server, camera.auth))[0]!.complete).toBe(true);

    const [recording] = await listRecordings(server, `Bearer ${user.accessToken}`);
    const endMs = recording!.startedAtMs + recording!.durationMs;
    const bearer = `Bearer ${user.accessToken}`;
    expect(await listRecordings(server, bearer, `?deviceId=${camera.deviceId}&from=${endMs}`)).toHaveLength(1);
    expect(await listRecordings(server, bearer, `?from=${endMs + 1}`)).toEqual([]);
    expect(await listRecordings(server, bearer, `?to=${recording!.startedAtMs - 1}`)).toEqual([]);
    expect(await listRecordings(server, bearer, '?deviceId=another-camera')).toEqual([]);
    const badQuery = await server.request('GET', '/api/recordings?from=yesterday', { auth: bearer });
    expect(badQuery.body.error.code).toBe('invalid_query');

    const pastEnd = randomChunks(7, 100, Date.now())[6]!;
    expect((await uploadChunk(server, camera, recordingId, pastEnd)).body.error.code).toBe('recording_closed');
  });

  test('uploads are idempotent, and tampered, forged, foreign, oversized or anonymous chunks are refused', async () => {
    const user = await server.register();
    const camera = await pairCamera(server, user.accessToken);
    const chunks = randomChunks(3, 10_000, Date.now());
    const recordingId = newRecordingId();
    await uploadRecording(server, camera, recordingId, chunks.slice(0, 2), { final: false });

    const again = await uploadChunk(server, camera, recordingId, chunks[1]!);
    expect(again).toEqual({
      status: 200,
      body: { recordingId, seq: 1, sizeBytes: 10_000, sha256: chunks[1]!.sha256 },
    });
    const tampered = { ...chunks[2]!, seq: 1 };
    expect((await uploadChunk(server, camera, recordingId, tampered)).status).toBe(409);
    const wrongHash = await uploadChunk(server, camera, recordingId, chunks[2]!, { sha256: chunks[1]!.sha256 });
    expect(wrongHash.status).toBe(400);
    expect(wrongHash.body.error.code).toBe('hash_mismatch');

    const [summary] = await listRecordings(server, `Bearer ${user.accessToken}`);
    expect(summary).toMatchObject({ chunkCount: 2, sizeBytes: 20_000 });
    const { playlistUrl } = await playbackOf(server, user.accessToken, recordingId);
    const stored = await fetch(new URL((await fetchPlaylist(playlistUrl)).segments[0]!.uri, playlistUrl));
    expect(sha256(new Uint8Array(await stored.arrayBuffer()))).toBe(chunks[1]!.sha256);

    expect((await uploadChunk(server, camera, recordingId, chunks[2]!, { auth: null })).status).toBe(401);
    expect((await uploadChunk(server, camera, recordingId, chunks[2]!, { auth: 'Device nope' })).status).toBe(401);
    expect(
      (await uploadChunk(server, camera, recordingId, chunks[2]!, { auth: `Bearer ${user.accessToken}` })).status,
    ).toBe(403);
    expect((await uploadChunk(server, camera, 'short', chunks[2]!)).body.error.code).toBe('invalid_recording_id');
    expect(
      (await uploadChunk(server, camera, recordingId, chunks[2]!, { contentType: 'application/json' })).status,
    ).toBe(415);
    const old = { ...chunks[2]!, startMs: Date.now() - 30 * 24 * 3_600_000 };
    expect((await uploadChunk(server, camera, newRecordingId(), old)).body.error.code).toBe('recording_expired');

    const big = randomChunks(2, CHUNK_MAX_BYTES + 1, Date.now())[1]!;
    const declared = await uploadChunk(server, camera, recordingId, { ...big, seq: 2 });
    expect(declared.status).toBe(413);
    expect(declared.body.error.code).toBe('chunk_too_large');
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < big.bytes.length; at += 64 * 1024)
          controller.enqueue(big.bytes.subarray(at, at + 64 * 1024));
        controller.close();
      },
    });
    const chunked = await uploadChunk(server, camera, recordingId, { ...big, seq: 2 }, { body: streamed });
    expect(chunked.status).toBe(413);

    const other = await server.register();
    const otherCamera = await pairCamera(server, other.accessToken);
    const foreign = await uploadChunk(server, otherCamera, recordingId, chunks[2]!);
    expect(foreign.status).toBe(404);
    const sameHousehold = await pairCamera(server, user.accessToken, 'Second');
    expect((await uploadChunk(server, sameHousehold, recordingId, chunks[2]!)).status).toBe(404);
    expect(await listRecordings(server, `Bearer ${other.accessToken}`)).toEqual([]);
    expect(await listRecordings(server, otherCamera.auth)).toEqual([]);
    const otherPlayback = await server.request('GET', `/api/recordings/${recordingId}/playback`, {
      auth: `Bearer ${other.accessToken}`,
    });
    expect(otherPlayback.status).toBe(404);
    const otherRecording = newRecordingId();
    await uploadRecording(server, otherCamera, otherRecording, chunks.slice(0, 2));
    const scopedToOther = new URL(playlistUrl.replace(recordingId, otherRecording));
    expect((await fetch(scopedToOther)).status).toBe(401);
    expect((await fetch(playlistUrl.split('?')[0]!)).status).toBe(401);

    expect((await uploadChunk(server, camera, recordingId, chunks[2]!, { final: true })).status).toBe(201);
    expect((await listRecordings(server, camera.auth))[0]).toMatchObject({ chunkCount: 3, complete: true });
  });

  test('the Record switch reaches the camera, and its status reaches the viewers', async () => {
    const user = await server.register();
    const camera = await pairCamera(server, user.accessToken);
    const viewerEvents = await EventStreamReader.open(server, `Bearer ${user.accessToken}`);
    const cameraEvents = await EventStreamReader.open(server, camera.auth);
    try {
      expect(await cameraEvents.next('recording-state')).toEqual({
        type: 'recording-state',
        deviceId: camera.deviceId,
        enabled: false,
        recording: false,
        problem: null,
        reportedAtMs: null,
      });
      const set = await server.request('PUT', `/api/devices/${camera.deviceId}/recording`, {
        auth: `Bearer ${user.accessToken}`,
        body: { enabled: true },
      });
      expect(set).toEqual({
        status: 200,
        body: { deviceId: camera.deviceId, enabled: true, recording: false, problem: null, reportedAtMs: null },
      });
      await cameraEvents.next('recording-state', (e) => e.enabled === true);
      await viewerEvents.next('recording-state', (e) => e.deviceId === camera.deviceId && e.enabled === true);

      // A camera that cannot follow says why; the viewers learn it.
      const stuck = await server.request('PUT', '/api/devices/me/recording-status', {
        auth: camera.auth,
        body: { recording: false, problem: 'storage-low' },
      });
      expect(stuck.body).toMatchObject({ enabled: true, recording: false, problem: 'storage-low' });
      await viewerEvents.next('recording-state', (e) => e.deviceId === camera.deviceId && e.problem === 'storage-low');
      const unknownProblem = await server.request('PUT', '/api/devices/me/recording-status', {
        auth: camera.auth,
        body: { recording: false, problem: 'on fire' },
      });
      expect(unknownProblem.status).toBe(400);

      const report = await server.request('PUT', '/api/devices/me/recording-status', {
        auth: camera.auth,
        body: { recording: true },
      });
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({ enabled: true, recording: true, problem: null });
      await viewerEvents.next('recording-state', (e) => e.recording === true && e.reportedAtMs > 0);
      const state = await server.request('GET', `/api/devices/${camera.deviceId}/recording`, {
        auth: `Bearer ${user.accessToken}`,
      });
      expect(state.body).toMatchObject({ enabled: true, recording: true });

      const other = await server.register();
      const foreign = await server.request('PUT', `/api/devices/${camera.deviceId}/recording`, {
        auth: `Bearer ${other.accessToken}`,
        body: { enabled: false },
      });
      expect(foreign.status).toBe(404);
      const bad = await server.request('PUT', `/api/devices/${camera.deviceId}/recording`, {
        auth: `Bearer ${user.accessToken}`,
        body: { enabled: 'yes' },
      });
      expect(bad.status).toBe(400);
      const byCamera = await server.request('PUT', `/api/devices/${camera.deviceId}/recording`, {
        auth: camera.auth,
        body: { enabled: false },
      });
      expect(byCamera.status).toBe(403);

      const fromCamera = await server.request('PUT', '/api/devices/me/recording', {
        auth: camera.auth,
        body: { enabled: false },
      });
      expect(fromCamera.status).toBe(200);
      expect(fromCamera.body).toMatchObject({ deviceId: camera.deviceId, enabled: false, recording: true });
      await viewerEvents.next('recording-state', (e) => e.deviceId === camera.deviceId && e.enabled === false);
      await cameraEvents.next('recording-state', (e) => e.enabled === false && e.recording === true);
      const byUserAsMe = await server.request('PUT', '/api/devices/me/recording', {
        auth: `Bearer ${user.accessToken}`,
        body: { enabled: true },
      });
      expect(byUserAsMe.status).toBe(403);
    } finally {
      viewerEvents.close();
      cameraEvents.close();
    }
  });
});

test.describe('crash safety', () => {
  test('after SIGKILL mid-upload, re-uploading what was unconfirmed stores every chunk exactly once', async () => {
    const server = await TestServer.start();
    try {
      const user = await server.register();
      const cameras = [await pairCamera(server, user.accessToken), await pairCamera(server, user.accessToken)];
      const recordings = cameras.map((camera, i) => ({
        camera,
        id: newRecordingId(),
        chunks: randomChunks(12, 1_000_000 + i * 1000, Date.now()),
        confirmed: new Set<number>(),
      }));

      // A slow upload that is mid-body when the server dies: half its bytes are on disk as a staged file.
      const slow = recordings[0]!;
      const slowChunk = slow.chunks[0]!;
      let sentHalf!: () => void;
      const halfSent = new Promise<void>((resolve) => (sentHalf = resolve));
      const slowBody = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(slowChunk.bytes.subarray(0, slowChunk.bytes.length / 2));
          sentHalf();
        },
      });
      const slowUpload = uploadChunk(server, slow.camera, slow.id, slowChunk, { body: slowBody }).catch(
        () => undefined,
      );
      await halfSent;
      await expect.poll(() => storedFiles(server.dataDir).some((f) => f.endsWith('.tmp'))).toBe(true);

      // Another camera streams chunks; the server dies once four of them are confirmed.
      const streaming = recordings[1]!;
      let killed = false;
      let fourConfirmed!: () => void;
      const confirmedFour = new Promise<void>((resolve) => (fourConfirmed = resolve));
      const stream = (async () => {
        for (const chunk of streaming.chunks) {
          if (killed) return;
          const res = await uploadChunk(server, streaming.camera, streaming.id, chunk).catch(() => undefined);
          if (res?.status === 201) streaming.confirmed.add(chunk.seq);
          if (streaming.confirmed.size === 4) fourConfirmed();
        }
      })();
      await confirmedFour;
      await server.stop('SIGKILL');
      killed = true;
      await Promise.all([stream, slowUpload]);
      expect(streaming.confirmed.size).toBeLessThan(streaming.chunks.length);
      expect(storedFiles(server.dataDir).filter((f) => f.endsWith('.tmp')).length).toBeGreaterThan(0);
      await server.restart();

      // The client re-uploads everything it was not sure of, and for good measure the rest too.
      for (const recording of recordings) {
        for (const chunk of recording.chunks) {
          const res = await uploadChunk(server, recording.camera, recording.id, chunk, {
            final: chunk === recording.chunks.at(-1),
          });
          // Unconfirmed chunks may have been stored just before the crash (200) or not (201).
          expect(recording.confirmed.has(chunk.seq) ? [200] : [200, 201]).toContain(res.status);
        }
      }

      const listed = await listRecordings(server, `Bearer ${user.accessToken}`);
      for (const recording of recordings) {
        const summary = listed.find((r) => r.id === recording.id);
        expect(summary).toMatchObject({
          chunkCount: recording.chunks.length,
          sizeBytes: recording.chunks.reduce((sum, c) => sum + c.bytes.length, 0),
          complete: true,
        });
        const { playlistUrl } = await playbackOf(server, user.accessToken, recording.id);
        const playlist = await fetchPlaylist(playlistUrl);
        const uris = [playlist.segments[0]!.map!.uri, ...playlist.segments.map((s) => s.uri)];
        expect(uris).toHaveLength(recording.chunks.length);
        for (const [seq, uri] of uris.entries()) {
          const res = await fetch(new URL(uri, playlistUrl));
          expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(recording.chunks[seq]!.sha256);
        }
      }
      const files = storedFiles(server.dataDir);
      expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(files.sort()).toEqual(
        recordings.flatMap((r) => r.chunks.map((c) => path.join(r.id, `${c.seq}.chunk`))).sort(),
      );
    } finally {
      await server.stop();
    }
  });
});

test.describe('retention', () => {
  const MAX_AGE_MS = 3_600_000;
  const MAX_BYTES = 250_000;
  let server: TestServer;
  test.beforeAll(async () => {
    server = await TestServer.start({
      env: {
        RECORDING_MAX_AGE_MS: String(MAX_AGE_MS),
        RECORDING_MAX_BYTES_PER_CAMERA: String(MAX_BYTES),
        RECORDING_SWEEP_INTERVAL_MS: '250',
      },
    });
  });
  test.afterAll(async () => server.stop());

  test('removes recordings past the age or size limit, oldest first, and nothing else', async () => {
    const user = await server.register();
    const events = await EventStreamReader.open(server, `Bearer ${user.accessToken}`);
    try {
      const now = Date.now();
      const [aging, sized, single] = [
        await pairCamera(server, user.accessToken, 'Aging'),
        await pairCamera(server, user.accessToken, 'Sized'),
        await pairCamera(server, user.accessToken, 'Single'),
      ];
      const upload = async (camera: PairedCamera, startedAtMs: number, count: number, sizeBytes: number) => {
        const id = newRecordingId();
        await uploadRecording(server, camera, id, randomChunks(count, sizeBytes, startedAtMs));
        return id;
      };
      // Ages out a few seconds after upload (its footage ends 1 h − ~5 s ago).
      const expiring = await upload(aging, now - MAX_AGE_MS + 4_000, 2, 1000);
      const recent = await upload(aging, now - 60_000, 3, 1000);
      // 3 × 100 kB against a 250 kB cap: the oldest goes.
      const sizedIds: string[] = [];
      for (const minutesAgo of [30, 20, 10]) sizedIds.push(await upload(sized, now - minutesAgo * 60_000, 4, 25_000));
      // Alone over the cap, and the newest of its camera: it stays.
      const oversized = await upload(single, now - 5 * 60_000, 4, 100_000);

      // A folder without a row, as a crash between deleting a row and its files leaves it.
      const orphan = path.join(server.dataDir, 'recordings', newRecordingId());
      mkdirSync(orphan, { recursive: true });
      writeFileSync(path.join(orphan, '0.chunk'), 'left behind');

      const removedExpiring = await events.next('recording-removed', (e) => e.recordingId === expiring);
      expect(removedExpiring).toEqual({
        type: 'recording-removed',
        recordingId: expiring,
        deviceId: aging.deviceId,
        reason: 'age',
      });
      const removedSized = await events.next('recording-removed', (e) => e.recordingId === sizedIds[0]);
      expect(removedSized).toMatchObject({ deviceId: sized.deviceId, reason: 'size' });
      await expect.poll(() => existsSync(orphan)).toBe(false);

      await new Promise((resolve) => setTimeout(resolve, 1_000)); // four more sweeps
      const kept = (await listRecordings(server, `Bearer ${user.accessToken}`)).map((r) => r.id);
      expect(kept.sort()).toEqual([recent, sizedIds[1], sizedIds[2], oversized].sort());
      expect(events.events.filter((e) => e.type === 'recording-removed')).toHaveLength(2);
      const folders = new Set(storedFiles(server.dataDir).map((f) => f.split(path.sep)[0]));
      expect([...folders].sort()).toEqual([...kept].sort());
    } finally {
      events.close();
    }
  });
});
