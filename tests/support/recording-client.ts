import { createHash, randomBytes } from 'node:crypto';
import type { PairingClaim } from '../../protocol/index.js';
import type { RecordingChunk } from './fmp4.js';
import type { ApiServer, TestServer } from './server.js';

/** A camera paired to a household through the real pairing API. */
export interface PairedCamera {
  deviceId: string;
  /** `Device <token>`, for the Authorization header. */
  auth: string;
}

/** Pairs a new camera to the household of `accessToken`: POST /api/pairings, then POST /api/pairings/claim. */
export async function pairCamera(server: ApiServer, accessToken: string, name = 'Camera'): Promise<PairedCamera> {
  const pairing = await server.request('POST', '/api/pairings', { auth: `Bearer ${accessToken}`, body: { name } });
  if (pairing.status !== 201) throw new Error(`pairing failed: ${pairing.status}`);
  const claim = await server.request('POST', '/api/pairings/claim', { body: { token: pairing.body.token } });
  if (claim.status !== 201) throw new Error(`claim failed: ${claim.status}`);
  const { device, deviceToken } = claim.body as PairingClaim;
  return { deviceId: device.id, auth: `Device ${deviceToken}` };
}

/** A new recording id as a camera makes one: 128 random bits, base64url (22 characters). */
export const newRecordingId = () => randomBytes(16).toString('base64url');

/** Synthetic chunks of `sizeBytes` random bytes each (seq 0..count-1), one second apart from `startedAtMs`. */
export function randomChunks(count: number, sizeBytes: number, startedAtMs: number): RecordingChunk[] {
  return Array.from({ length: count }, (_, seq) => {
    const bytes = randomBytes(sizeBytes);
    return {
      seq,
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      startMs: startedAtMs + Math.max(0, seq - 1) * 1000,
      durationMs: seq === 0 ? 0 : 1000,
    };
  });
}

export interface UploadOptions {
  /** Mark the chunk as the recording's last. */
  final?: boolean;
  /** Send this hash instead of the chunk's. */
  sha256?: string;
  /** Send this body instead of the chunk's bytes (e.g. a stream). */
  body?: Uint8Array | ReadableStream<Uint8Array>;
  /** Authorization header; none when null. */
  auth?: string | null;
  contentType?: string;
  /** The camera's clock to send as `X-Camera-Clock-Ms`; none when absent. */
  cameraClockMs?: number;
}

/** PUT /api/recordings/:id/chunks/:seq as the camera's uploader does it. @returns status and JSON body. */
export async function uploadChunk(
  server: TestServer,
  camera: PairedCamera,
  recordingId: string,
  chunk: RecordingChunk,
  options: UploadOptions = {},
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {
    'Content-Type': options.contentType ?? 'application/octet-stream',
    'X-Chunk-Sha256': options.sha256 ?? chunk.sha256,
    'X-Chunk-Start-Ms': String(chunk.startMs),
    'X-Chunk-Duration-Ms': String(chunk.durationMs),
  };
  const auth = options.auth === undefined ? camera.auth : options.auth;
  if (auth !== null) headers.Authorization = auth;
  if (options.final) headers['X-Recording-Final'] = '1';
  if (options.cameraClockMs !== undefined) headers['X-Camera-Clock-Ms'] = String(options.cameraClockMs);
  const body = options.body ?? chunk.bytes;
  const res = await fetch(`${server.baseURL}/api/recordings/${recordingId}/chunks/${chunk.seq}`, {
    method: 'PUT',
    headers,
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Uploads every chunk in order, marking the last final; throws on any answer but 201. */
export async function uploadRecording(
  server: TestServer,
  camera: PairedCamera,
  recordingId: string,
  chunks: RecordingChunk[],
  options: { final?: boolean } = { final: true },
): Promise<void> {
  for (const chunk of chunks) {
    const final = options.final === true && chunk === chunks.at(-1);
    const res = await uploadChunk(server, camera, recordingId, chunk, { final });
    if (res.status !== 201) throw new Error(`chunk ${chunk.seq}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** A Server-Sent Events subscription to GET /api/stream, read with fetch (so it can send Authorization). */
export class EventStreamReader {
  readonly events: { type: string; data: any }[] = [];
  /** Resolves once the server has ended the stream (or it was closed here). */
  readonly ended: Promise<void>;
  private readonly controller = new AbortController();
  private waiters: (() => void)[] = [];
  private markEnded: () => void = () => {};

  private constructor() {
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
  }

  /** Opens the stream and resolves once the server said `ready`. */
  static async open(server: TestServer, auth: string): Promise<EventStreamReader> {
    const reader = new EventStreamReader();
    const res = await fetch(`${server.baseURL}/api/stream`, {
      headers: { Authorization: auth },
      signal: reader.controller.signal,
    });
    if (res.status !== 200 || !res.body) throw new Error(`events: ${res.status}`);
    void reader.pump(res.body);
    await reader.next('ready');
    return reader;
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = body.getReader();
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        buffer += decoder.decode(read.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (type && data !== undefined) this.events.push({ type, data: JSON.parse(data) });
          for (const wake of this.waiters.splice(0)) wake();
        }
      }
    } catch {
      /* aborted */
    } finally {
      this.markEnded();
    }
  }

  /** Waits for the first event (received so far or later) of `type` matching `where`. */
  async next(type: string, where: (data: any) => boolean = () => true, timeoutMs = 10_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => e.type === type && where(e.data));
      if (found) return found.data;
      if (Date.now() > deadline) throw new Error(`no ${type} event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  close(): void {
    this.controller.abort();
  }
}

/** A new event id as a camera makes one: 128 random bits, base64url (22 characters). */
export const newEventId = newRecordingId;

/**
 * A camera's motion event of 10 s ending 20 s ago, with `snapshot` (JPEG
 * bytes) as its snapshot: `PUT /api/events/:eventId`, then its image.
 * @throws Error when either upload is not stored (201)
 */
export async function uploadEventWithSnapshot(server: TestServer, camera: PairedCamera, eventId: string, snapshot: Buffer): Promise<void> {
  const now = Date.now();
  const motion = { kind: 'motion', startedAtMs: now - 30_000, endedAtMs: now - 20_000, score: 0.5, box: { x: 0, y: 0, width: 1, height: 1 } };
  const event = await server.request('PUT', `/api/events/${eventId}`, { auth: camera.auth, body: motion });
  if (event.status !== 201) throw new Error(`event upload failed: ${event.status}`);
  const image = await fetch(`${server.baseURL}/api/events/${eventId}/snapshot`, {
    method: 'PUT',
    headers: { authorization: camera.auth, 'content-type': 'image/jpeg' },
    body: new Uint8Array(snapshot),
  });
  if (image.status !== 201) throw new Error(`snapshot upload failed: ${image.status}`);
}
