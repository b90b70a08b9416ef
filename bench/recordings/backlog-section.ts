import type { Page } from '@playwright/test';
import type { LocalChunk, LocalRecording } from '../../pwa/shared/recording-records.js';
import { launchChromium } from '../../tests/support/browser.js';
import { listRecordings, pairCameraPage } from '../../tests/support/camera-page.js';
import { footageY4m } from '../../tests/support/media.js';
import { TestServer } from '../../tests/support/server.js';
import { figureMaker, type SectionResult } from '../report.js';
import type { BenchOptions, Section } from '../section.js';

/** Size of the backlog a camera uploads when it is back online, bytes (MB = 10^6 bytes). */
const BACKLOG_BYTES = 100e6;
/** Footage recorded offline for real before the backlog is filled with copies of it, ms. */
const RECORD_MS = 10_000;

/**
 * Copies the chunks in the camera page's IndexedDB upload queue (real
 * MediaRecorder output) into new, ended recordings, as the camera's queue
 * stores them, until the queue holds `targetBytes`. Runs in the page.
 * @returns chunks and bytes queued
 */
function fillQueue(page: Page, targetBytes: number): Promise<{ chunks: number; bytes: number }> {
  // No named functions inside: tsx would wrap them in its Node-only `__name` helper.
  return page.evaluate(async (targetBytes) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('peerwatch');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const read = db.transaction(['recordings', 'chunks'], 'readonly');
    const [recordings, chunks] = await Promise.all(
      [read.objectStore('recordings').getAll(), read.objectStore('chunks').getAll()].map(
        (r) =>
          new Promise<unknown[]>((resolve, reject) => {
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          }),
      ),
    ) as [LocalRecording[], LocalChunk[]];
    let bytes = chunks.reduce((sum, c) => sum + c.sizeBytes, 0);
    const template = recordings.find((r) => r.ended && chunks.filter((c) => c.recordingId === r.id).length === r.nextSeq);
    if (!template) throw new Error('no whole recording in the queue to copy');
    const parts = chunks.filter((c) => c.recordingId === template.id).sort((a, b) => a.seq - b.seq);
    const templateBytes = parts.reduce((sum, c) => sum + c.sizeBytes, 0);
    let count = chunks.length;
    for (let copy = 1; bytes < targetBytes; copy++) {
      const id = `bench${copy.toString().padStart(6, '0')}${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
      const shiftMs = Date.now() - template.startedAtMs + copy;
      const tx = db.transaction(['recordings', 'chunks'], 'readwrite');
      tx.objectStore('recordings').add({ ...template, id, startedAtMs: template.startedAtMs + shiftMs });
      for (const part of parts) {
        tx.objectStore('chunks').add({ ...part, recordingId: id, startMs: part.startMs + shiftMs });
      }
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      bytes += templateBytes;
      count += parts.length;
    }
    db.close();
    return { chunks: count, bytes };
  }, targetBytes);
}

/** Waits in the page until the upload queue (IndexedDB store `chunks`) is empty. */
function queueEmptied(page: Page): Promise<void> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('peerwatch');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (;;) {
      const count = await new Promise<number>((resolve, reject) => {
        const r = db.transaction('chunks', 'readonly').objectStore('chunks').count();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      if (count === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    db.close();
  });
}

/**
 * Catching up after an outage: the real camera page (Chromium, fake
 * camera playing real footage) records offline, its IndexedDB queue is filled
 * to `BACKLOG_BYTES` with copies of those real chunks, then the page goes
 * online; timed until the queue is empty and the server lists every chunk.
 */
export const cameraBacklogSection: Section = {
  name: 'camera-backlog',
  description: `camera page back online: time until its ${BACKLOG_BYTES / 1e6} MB IndexedDB backlog is stored, s per 100 MB`,
  async run(options: BenchOptions): Promise<SectionResult> {
    const server = await TestServer.start();
    const browser = await launchChromium({ fakeVideo: footageY4m(30) });
    try {
      const session = await server.register();
      const context = await browser.newContext();
      const page = await context.newPage();
      const { deviceId } = await pairCameraPage(server, session.accessToken, page, 'Bench camera');
      const record = page.getByRole('switch', { name: 'Record' });

      await context.setOffline(true);
      await record.check();
      options.log(`camera-backlog: recording ${RECORD_MS / 1000} s offline`);
      await new Promise((resolve) => setTimeout(resolve, RECORD_MS));
      await record.uncheck();
      await page.getByRole('status').filter({ hasText: /^Not recording$/ }).waitFor();
      const backlog = await fillQueue(page, BACKLOG_BYTES);
      options.log(`camera-backlog: ${backlog.chunks} chunks, ${(backlog.bytes / 1e6).toFixed(1)} MB queued; going online`);

      const startedMs = performance.now();
      await context.setOffline(false);
      await queueEmptied(page);
      const recordings = await listRecordings(server, session.accessToken, deviceId);
      const seconds = (performance.now() - startedMs) / 1000;
      const storedChunks = recordings.reduce((sum, r) => sum + r.chunkCount, 0);
      const storedBytes = recordings.reduce((sum, r) => sum + r.sizeBytes, 0);
      if (storedChunks !== backlog.chunks || storedBytes !== backlog.bytes) {
        throw new Error(`server has ${storedChunks} chunks / ${storedBytes} bytes of ${backlog.chunks} / ${backlog.bytes}`);
      }
      const figure = figureMaker('camera-backlog');
      return {
        figures: [
          figure('backlog stored after coming online, per 100 MB', (seconds * 100e6) / backlog.bytes, 's/100 MB'),
          figure(`backlog of ${(backlog.bytes / 1e6).toFixed(0)} MB stored after`, seconds, 's'),
          figure('backlog upload throughput', backlog.bytes / 1e6 / seconds, 'MB/s'),
          figure('backlog chunks', backlog.chunks, 'count'),
        ],
        notes: [
          `Camera backlog: ${(RECORD_MS / 1000).toFixed(0)} s of real MediaRecorder chunks (H.264 + Opus fMP4, 2 s timeslice) copied ` +
            'in IndexedDB into ended recordings; timed from going online until the queue is empty (the server confirmed every chunk) ' +
            'and the server lists every chunk; uploader, server and browser on the same 2 cores over loopback.',
        ],
      };
    } finally {
      await browser.close();
      await server.stop();
    }
  },
};
