import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventFootage, type ChunkSink } from '../../pwa/camera/recording/event-footage.js';
import type { NewRecording } from '../../pwa/camera/recording/chunk-queue.js';
import type { LocalChunk } from '../../pwa/shared/recording-records.js';

/** What reached the queue: each recording begun, with the chunks appended to it and whether it was ended. */
class RecordedQueue implements ChunkSink {
  readonly recordings = new Map<string, { recording: NewRecording; chunks: LocalChunk[]; ended: boolean }>();
  async begin(recording: NewRecording, init: LocalChunk) {
    this.recordings.set(recording.id, { recording, chunks: [init], ended: false });
  }
  async append(chunk: LocalChunk) {
    const entry = this.recordings.get(chunk.recordingId);
    if (!entry) throw new Error(`unknown recording ${chunk.recordingId}`);
    assert.equal(chunk.seq, entry.chunks.length, 'seqs continue without a gap');
    entry.chunks.push(chunk);
  }
  async end(recordingId: string) {
    this.recordings.get(recordingId)!.ended = true;
  }
  /** Each recording as [first chunk start, last chunk end, final?] of its media chunks, ms. */
  spans() {
    return [...this.recordings.values()].map(({ chunks, ended }) => {
      const media = chunks.slice(1);
      const last = media.at(-1)!;
      return [media[0]!.startMs, last.startMs + last.durationMs, last.final || ended];
    });
  }
}

const T0 = 1_000_000;
const SOURCE = 'source-recording-00';
const chunk = (seq: number, final = false): LocalChunk => ({
  recordingId: SOURCE,
  seq,
  bytes: new ArrayBuffer(8),
  sizeBytes: 8,
  sha256: `hash-${seq}`,
  startMs: seq === 0 ? T0 : T0 + (seq - 1) * 2_000,
  durationMs: seq === 0 ? 0 : 2_000,
  final,
});

/** A recorder of `count` 2-s chunks in `events` mode (5 s pre- and post-roll), with `during(seq)` run before each chunk. */
async function record(count: number, during: (footage: EventFootage, seq: number) => Promise<void>) {
  const queue = new RecordedQueue();
  const footage = new EventFootage(queue);
  footage.setMode({ kind: 'events', preRollMs: 5_000, postRollMs: 5_000 });
  await footage.begin({ id: SOURCE, startedAtMs: T0, mimeType: 'video/mp4' }, chunk(0));
  for (let seq = 1; seq <= count; seq++) {
    await during(footage, seq);
    await footage.append(chunk(seq, seq === count));
  }
  return queue;
}

test('always mode passes every chunk to the queue as it is', async () => {
  const queue = new RecordedQueue();
  const footage = new EventFootage(queue);
  await footage.begin({ id: SOURCE, startedAtMs: T0, mimeType: 'video/mp4' }, chunk(0));
  for (let seq = 1; seq <= 3; seq++) await footage.append(chunk(seq));
  assert.deepEqual(queue.recordings.get(SOURCE)?.chunks.map((c) => c.seq), [0, 1, 2, 3]);
});

test('events mode writes nothing without an event', async () => {
  const queue = await record(30, async () => {});
  assert.equal(queue.recordings.size, 0);
});

test('an event is written from the pre-roll before its start to the post-roll after its last motion, as one recording', async () => {
  // Chunk n covers [T0 + 2(n-1) s, T0 + 2n s). Motion from 30.5 s to 36.2 s, ended after a 10 s quiet period.
  const startMs = T0 + 30_500;
  const lastMotionMs = T0 + 36_200;
  const queue = await record(40, async (footage, seq) => {
    if (seq === 17) await footage.eventStarted(startMs, startMs + 600);
    if (seq === 18) await footage.motionSeen(T0 + 34_000);
    if (seq === 19) await footage.motionSeen(lastMotionMs);
    // 10 s without motion: the event ends.
    if (seq === 25) await footage.eventEnded(lastMotionMs);
  });
  assert.deepEqual(queue.spans(), [[T0 + 24_000, T0 + 42_000, true]]);
  const [written] = [...queue.recordings.values()];
  assert.equal(written!.recording.startedAtMs, T0 + 24_000);
  assert.deepEqual(written!.chunks.map((c) => c.sha256), ['hash-0', ...[13, 14, 15, 16, 17, 18, 19, 20, 21].map((n) => `hash-${n}`)]);
});

test('two events far apart make two recordings; motion coming back in the quiet period keeps one', async () => {
  const queue = await record(60, async (footage, seq) => {
    if (seq === 6) await footage.eventStarted(T0 + 10_000, T0 + 10_600);
    if (seq === 8) await footage.motionSeen(T0 + 12_000);
    // Quiet past the post-roll, then motion again before the event ended: the footage goes on.
    if (seq === 12) await footage.motionSeen(T0 + 21_000);
    if (seq === 20) await footage.eventEnded(T0 + 21_000);
    if (seq === 40) await footage.eventStarted(T0 + 78_000, T0 + 78_600);
    if (seq === 46) await footage.eventEnded(T0 + 79_000);
  });
  assert.deepEqual(queue.spans(), [
    [T0 + 4_000, T0 + 26_000, true],
    [T0 + 72_000, T0 + 84_000, true],
  ]);
});

test('the recorder stopping during an event ends its recording with its last chunk', async () => {
  const queue = await record(12, async (footage, seq) => {
    if (seq === 8) await footage.eventStarted(T0 + 14_000, T0 + 14_600);
  });
  assert.deepEqual(queue.spans(), [[T0 + 8_000, T0 + 24_000, true]]);
});
