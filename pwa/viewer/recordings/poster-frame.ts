import type { RecordingSummary } from '../../../protocol/index.js';
import type { ApiClient } from '../../api/api-client.js';
import { openPeerwatchDb } from '../../shared/db.js';
import { log } from '../../shared/logger.js';

/** Width of a poster frame, CSS pixels; the height follows the video's aspect ratio. */
const POSTER_WIDTH = 320;
/** Poster frames made at the same time (each decodes video). */
const MAX_CONCURRENT = 2;
/** Longest wait for the first frame to decode, ms. */
const DECODE_TIMEOUT_MS = 10_000;
/** Most poster frames kept in IndexedDB (each a JPEG of about 10–20 KB); the oldest go first. */
export const MAX_CACHED_POSTERS = 1_000;

/** Object URLs of the poster frames made or read in this page, by recording id. */
const posters = new Map<string, Promise<string>>();
let running = 0;
const waiting: Array<() => void> = [];

/**
 * The poster frame of a recording (the first frame of its first segment) as
 * an object URL, made in the browser: the init segment and segment 1
 * (`GET /api/recordings/:id/init.mp4`, `/segments/1.m4s`) joined into one
 * fragmented MP4 in a detached video element, its first decoded frame drawn
 * to a canvas, saved as JPEG. Cached in IndexedDB (store `posters`) and in
 * the page.
 * @throws Error when the recording has no media segment yet or the frame cannot be decoded
 */
export function posterUrl(api: ApiClient, recording: RecordingSummary): Promise<string> {
  let poster = posters.get(recording.id);
  if (!poster) {
    poster = loadPoster(api, recording);
    posters.set(recording.id, poster);
    poster.catch(() => posters.delete(recording.id));
  }
  return poster;
}

/** Forgets a removed recording's poster frame. */
export async function forgetPoster(recordingId: string): Promise<void> {
  const poster = posters.get(recordingId);
  posters.delete(recordingId);
  // A poster that never loaded has no object URL to revoke.
  poster?.then((url) => URL.revokeObjectURL(url)).catch((error: unknown) => log.debug('poster: it had not loaded', error));
  const db = await openPeerwatchDb();
  await db.delete('posters', recordingId);
}

/**
 * Deletes the oldest cached poster frames beyond `MAX_CACHED_POSTERS`, so the
 * cache stays bounded although recordings removed while no viewer was open
 * never tell it (a removed poster is made again if ever needed).
 */
export async function trimPosterCache(): Promise<void> {
  const db = await openPeerwatchDb();
  const tx = db.transaction('posters', 'readwrite');
  let excess = (await tx.store.count()) - MAX_CACHED_POSTERS;
  let cursor = excess > 0 ? await tx.store.index('by-cached').openCursor() : null;
  for (; cursor && excess > 0; cursor = await cursor.continue(), excess--) {
    await cursor.delete();
  }
  await tx.done;
}

async function loadPoster(api: ApiClient, recording: RecordingSummary): Promise<string> {
  const db = await openPeerwatchDb();
  const cached = await db.get('posters', recording.id);
  if (cached) return URL.createObjectURL(cached.image);
  if (recording.chunkCount < 2) throw new Error('No picture yet.');
  const image = await limited(async () => {
    const [init, segment] = await Promise.all([
      api.recordingMedia(recording.id, 'init.mp4'),
      api.recordingMedia(recording.id, 'segments/1.m4s'),
    ]);
    return drawFirstFrame(new Blob([init, segment], { type: 'video/mp4' }));
  });
  await db.put('posters', { recordingId: recording.id, image, cachedAtMs: Date.now() });
  return URL.createObjectURL(image);
}

/** Runs `task` when fewer than `MAX_CONCURRENT` run. */
async function limited<T>(task: () => Promise<T>): Promise<T> {
  while (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** The first frame of a short MP4 as a JPEG, `POSTER_WIDTH` wide. */
async function drawFirstFrame(media: Blob): Promise<Blob> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.preload = 'auto';
  const url = URL.createObjectURL(media);
  try {
    const loaded = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('The picture took too long to decode.')), DECODE_TIMEOUT_MS);
      video.addEventListener('loadeddata', () => (clearTimeout(timer), resolve()), { once: true });
      video.addEventListener('error', () => (clearTimeout(timer), reject(new Error('The picture cannot be decoded.'))), {
        once: true,
      });
    });
    video.src = url;
    await loaded;
    const canvas = document.createElement('canvas');
    canvas.width = POSTER_WIDTH;
    canvas.height = Math.round((POSTER_WIDTH * video.videoHeight) / Math.max(1, video.videoWidth));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser cannot draw pictures.');
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const image = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
    if (!image) throw new Error('The picture could not be saved.');
    return image;
  } finally {
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  }
}
