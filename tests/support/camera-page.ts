import { createHash } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import type { PairingClaim, RecordingSummary } from '../../protocol/index.js';
import type { TestServer } from './server.js';

/** A chunk as the camera page wrote it into its IndexedDB upload queue (store `chunks`). */
export interface LoggedChunk {
  recordingId: string;
  seq: number;
  sizeBytes: number;
  /** The SHA-256 the camera computed and will send (X-Chunk-Sha256). */
  sha256: string;
  /** SHA-256 of the stored bytes, computed again by the logging hook. */
  bytesSha256: string;
  startMs: number;
  durationMs: number;
  final: boolean;
}

/** A recording as the camera page created it (store `recordings`). */
export interface LoggedRecording {
  id: string;
  startedAtMs: number;
}

/** What a camera page stored, in order, across reloads. */
export interface ChunkLog {
  chunks: LoggedChunk[];
  recordings: LoggedRecording[];
}

/**
 * Logs every chunk and recording a page of `context` stores in IndexedDB
 * (test instrumentation: `IDBObjectStore.prototype.add` is wrapped by an init
 * script in each page, which also hashes the bytes itself, and reports to the
 * test through a binding that survives reloads). The app is not changed.
 */
export async function logChunkWrites(context: BrowserContext): Promise<ChunkLog> {
  const log: ChunkLog = { chunks: [], recordings: [] };
  await context.exposeBinding('peerwatchTestLog', (_source, store: string, entry: unknown) => {
    if (store === 'chunks') log.chunks.push(entry as LoggedChunk);
    if (store === 'recordings') log.recordings.push(entry as LoggedRecording);
  });
  await context.addInitScript(() => {
    const add = IDBObjectStore.prototype.add;
    const report = (store: string, entry: unknown) =>
      (window as unknown as { peerwatchTestLog: (store: string, entry: unknown) => void }).peerwatchTestLog(
        store,
        entry,
      );
    IDBObjectStore.prototype.add = function (this: IDBObjectStore, value: any, key?: IDBValidKey) {
      const request = add.call(this, value, key);
      const store = this.name;
      // Logged once the transaction commits: an aborted one (e.g. QuotaExceededError) stored nothing.
      const committed = this.transaction;
      if (store === 'recordings') {
        committed.addEventListener('complete', () => report(store, { id: value.id, startedAtMs: value.startedAtMs }));
      } else if (store === 'chunks') {
        const { bytes, ...fields } = value as { bytes: ArrayBuffer } & Record<string, unknown>;
        const digest = crypto.subtle.digest('SHA-256', bytes.slice(0));
        committed.addEventListener('complete', async () => {
          const hex = Array.from(new Uint8Array(await digest), (b) => b.toString(16).padStart(2, '0')).join('');
          report(store, { ...fields, bytesSha256: hex });
        });
      }
      return request;
    };
  });
  return log;
}

/**
 * Pairs a camera page: `POST /api/pairings` as the user, then opens the
 * pairing link it answers (`/pair?server=<instance id>#<token>`) in `page`, as a phone that scanned the QR code
 * would; on `origin` instead of the link's own when given (e.g. another
 * instance of a cluster, or its load balancer). Resolves when the camera runs (its Record switch is shown).
 */
export async function pairCameraPage(
  server: TestServer,
  accessToken: string,
  page: Page,
  name: string,
  origin?: string,
): Promise<{ deviceId: string }> {
  const pairing = await server.request('POST', '/api/pairings', { auth: `Bearer ${accessToken}`, body: { name } });
  if (pairing.status !== 201) throw new Error(`pairing failed: ${pairing.status}`);
  const claimed = waitForClaim(page);
  const link = new URL(pairing.body.url as string);
  await page.goto(origin ? `${origin}${link.pathname}${link.search}${link.hash}` : link.href);
  const { device } = await claimed;
  await page.getByRole('switch', { name: 'Record' }).waitFor();
  return { deviceId: device.id };
}

async function waitForClaim(page: Page): Promise<PairingClaim> {
  const response = await page.waitForResponse((res) => res.url().endsWith('/api/pairings/claim'));
  if (response.status() !== 201) throw new Error(`claim failed: ${response.status()}`);
  return (await response.json()) as PairingClaim;
}

/** `GET /api/recordings?deviceId=` as the user. */
export async function listRecordings(server: TestServer, accessToken: string, deviceId: string) {
  const res = await server.request('GET', `/api/recordings?deviceId=${deviceId}`, { auth: `Bearer ${accessToken}` });
  if (res.status !== 200) throw new Error(`list failed: ${res.status}`);
  return res.body as RecordingSummary[];
}

/** SHA-256 (hex) of every chunk the server serves for a recording: init.mp4, then segments 1 … count-1. */
export async function serverChunkHashes(
  server: TestServer,
  accessToken: string,
  recordingId: string,
  count: number,
): Promise<string[]> {
  const hashes: string[] = [];
  for (let seq = 0; seq < count; seq++) {
    const part = seq === 0 ? 'init.mp4' : `segments/${seq}.m4s`;
    const res = await fetch(`${server.baseURL}/api/recordings/${recordingId}/${part}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (res.status !== 200) throw new Error(`${part}: ${res.status}`);
    hashes.push(createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex'));
  }
  return hashes;
}
