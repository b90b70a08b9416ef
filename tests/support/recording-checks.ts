import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { parse as parseHls } from 'hls-parser';
import type { MediaPlaylist } from 'hls-parser/types.js';
import type { RecordingPlayback } from '../../protocol/index.js';
import { listRecordings, serverChunkHashes, type ChunkLog, type LoggedChunk } from './camera-page.js';
import type { TestServer } from './server.js';

/** The logged chunks of each recording, by recording id, in seq order. */
export function chunksByRecording(chunks: LoggedChunk[]): Map<string, LoggedChunk[]> {
  const byRecording = new Map<string, LoggedChunk[]>();
  for (const chunk of chunks) byRecording.set(chunk.recordingId, [...(byRecording.get(chunk.recordingId) ?? []), chunk]);
  for (const list of byRecording.values()) list.sort((a, b) => a.seq - b.seq);
  return byRecording;
}

/** What a server keeps of a recording: the names of its chunks (`<seq>.chunk`) and each one's bytes. */
export interface StoredChunks {
  names(recordingId: string): Promise<string[]>;
  bytes(recordingId: string, seq: number): Promise<Buffer>;
}

/** The chunk files of a server's DATA_DIR/recordings. */
export function chunkFilesOf(server: TestServer): StoredChunks {
  const folder = (id: string) => path.join(server.dataDir, 'recordings', id);
  return {
    names: async (id) => readdirSync(folder(id)).filter((name) => name.endsWith('.chunk')),
    bytes: async (id, seq) => readFileSync(path.join(folder(id), `${seq}.chunk`)),
  };
}

/**
 * Asserts that the server holds exactly the chunks the camera recorded for
 * these recordings: same count, same SHA-256 (as served over HTTP and as
 * stored: files on disk unless `stored` says otherwise), no gaps, the camera's hash equal to the stored bytes'.
 */
export async function expectServerHasEveryChunk(
  server: TestServer,
  accessToken: string,
  camera: { log: ChunkLog; deviceId: string },
  recordingIds: string[],
  stored: StoredChunks = chunkFilesOf(server),
): Promise<void> {
  const byRecording = chunksByRecording(camera.log.chunks);
  const summaries = await listRecordings(server, accessToken, camera.deviceId);
  for (const id of recordingIds) {
    const recorded = byRecording.get(id) ?? [];
    expect(recorded.map((c) => c.seq)).toEqual(recorded.map((_, i) => i));
    for (const chunk of recorded) expect(chunk.sha256).toBe(chunk.bytesSha256);
    const summary = summaries.find((s) => s.id === id);
    expect(summary, `recording ${id} on the server`).toBeDefined();
    expect(summary!.chunkCount).toBe(recorded.length);
    expect(summary!.sizeBytes).toBe(recorded.reduce((sum, c) => sum + c.sizeBytes, 0));
    expect(summary!.complete).toBe(true);
    expect(await serverChunkHashes(server, accessToken, id, recorded.length)).toEqual(
      recorded.map((c) => c.sha256),
    );
    expect((await stored.names(id)).sort()).toEqual(recorded.map((c) => `${c.seq}.chunk`).sort());
    for (const chunk of recorded) {
      const bytes = await stored.bytes(id, chunk.seq);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(chunk.sha256);
    }
  }
}

/** The playback of a recording as its user gets it (`GET /api/recordings/:id/playback`, expected 200). */
export async function playbackOf(server: TestServer, accessToken: string, recordingId: string): Promise<RecordingPlayback> {
  const res = await server.request('GET', `/api/recordings/${recordingId}/playback`, {
    auth: `Bearer ${accessToken}`,
  });
  expect(res.status).toBe(200);
  return res.body as RecordingPlayback;
}

/** The playlist URL of a recording (`GET /api/recordings/:id/playback`). */
export async function playlistUrlOf(server: TestServer, accessToken: string, recordingId: string): Promise<string> {
  return (await playbackOf(server, accessToken, recordingId)).playlistUrl;
}

/** Sum of the segment durations of a closed recording's playlist (it must have EXT-X-ENDLIST), ms. */
export async function playlistDurationMs(server: TestServer, accessToken: string, recordingId: string): Promise<number> {
  const text = await (await fetch(await playlistUrlOf(server, accessToken, recordingId))).text();
  const playlist = parseHls(text) as MediaPlaylist;
  expect(playlist.endlist).toBe(true);
  return playlist.segments.reduce((sum, s) => sum + s.duration * 1000, 0);
}


/**
 * Asserts that ffmpeg decodes `input` (a playlist URL or a file) from start to end with no error.
 * The camera's frame times are real capture times (variable frame rate, e.g. a late frame and the next one
 * 0.3 ms after it); `-enc_time_base -1` keeps the input's time base, so the null muxer does not round two such
 * frames onto one 1/10 s timestamp and report it.
 */
export function expectFfmpegDecodes(input: string): void {
  const ffmpeg = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-nostats', '-v', 'error', '-i', input, '-enc_time_base', '-1', '-f', 'null', '-'],
    { encoding: 'utf8' },
  );
  expect(ffmpeg.stderr).toBe('');
  expect(ffmpeg.status).toBe(0);
}

/** Frames the video element has decoded so far (Media Playback Quality, W3C). */
function decodedFrames(video: Locator): Promise<number> {
  return video.evaluate((el: HTMLVideoElement) => el.getVideoPlaybackQuality().totalVideoFrames);
}

/**
 * Asserts that a recording playing in `video` on the viewer page (over 6 s
 * long) seeks with the player's Timeline slider to its middle and plays on
 * from there: new frames decoded, the position a little past the middle.
 */
export async function expectSeeksToMiddle(viewer: Page, video: Locator): Promise<void> {
  const durationS = await video.evaluate((el: HTMLVideoElement) => el.duration);
  expect(durationS).toBeGreaterThan(6);
  const middleS = durationS / 2;
  await video.evaluate((el: HTMLVideoElement) => el.pause());
  // As the range input keeps it (a whole number without ".0"), or Playwright finds the value changed and refuses it.
  await viewer.getByRole('slider', { name: 'Timeline' }).fill(String(Number(middleS.toFixed(1))));
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.currentTime)).toBeCloseTo(middleS, 0);
  const framesAtSeek = await decodedFrames(video);
  await video.evaluate((el: HTMLVideoElement) => el.play());
  await expect.poll(() => decodedFrames(video)).toBeGreaterThan(framesAtSeek + 10);
  const at = await video.evaluate((el: HTMLVideoElement) => el.currentTime);
  expect(at).toBeGreaterThan(middleS);
  expect(at).toBeLessThan(middleS + 5);
}
