import type { Logger } from 'pino';
import type { MotionEventRow, RecordingRecord, Store } from '../store/store.js';
import type { EventHub } from '../events/event-hub.js';
import { eventsByFootage } from '../motion-events/footage.js';
import type { MotionEventStorage } from '../motion-events/motion-events.js';
import type { ChunkStore } from './chunk-store.js';
import type { KeyedMutex } from './keyed-mutex.js';
import { recordingsToRemove, type RetainedRecording, type RetentionLimits } from './retention-rule.js';

/**
 * What the retention rule weighs: a recording with the camera events whose
 * footage it holds (their images count toward its bytes), or a camera event
 * with no stored footage on its own (its images are its bytes; an open one
 * counts as ending at its start).
 */
interface RetainedItem extends RetainedRecording {
  recording: RecordingRecord | null;
  events: MotionEventRow[];
}

/**
 * The items of one sweep: every recording with its events, then every event
 * without footage. Each camera's newest recording is pinned: newer events
 * without footage (e.g. not uploaded yet) never make it go for size.
 */
function retainedItems(recordings: RecordingRecord[], events: MotionEventRow[]): RetainedItem[] {
  const { byRecording, loose } = eventsByFootage(events, recordings);
  const imageBytes = (own: MotionEventRow[]) => own.reduce((sum, event) => sum + event.imageBytes, 0);
  const newest = new Map<string, RecordingRecord>();
  for (const recording of recordings) {
    const known = newest.get(recording.deviceId);
    if (!known || recording.startedAtMs > known.startedAtMs) newest.set(recording.deviceId, recording);
  }
  return [
    ...recordings.map((recording) => {
      const own = byRecording.get(recording.id) ?? [];
      const pinned = newest.get(recording.deviceId) === recording;
      return { ...recording, sizeBytes: recording.sizeBytes + imageBytes(own), pinned, recording, events: own };
    }),
    ...loose.map((event) => ({
      id: event.id,
      deviceId: event.deviceId,
      startedAtMs: event.startedAtMs,
      endedAtMs: event.endedAtMs ?? event.startedAtMs,
      sizeBytes: event.imageBytes,
      recording: null,
      events: [event],
    })),
  ];
}

/** What one sweep did. */
export interface SweepResult {
  /** Recordings removed by the retention rule. */
  removed: number;
  /** Camera events removed with their images (with their recording, or on their own). */
  events: number;
  /** Chunk and image folders removed because no recording or event row owned them. */
  orphans: number;
  /** Temp files of earlier processes removed. */
  staleStaged: number;
}

/**
 * Applies the retention rule (`recordingsToRemove`) every `intervalMs` and
 * once at start, and repairs what a crash left behind. Camera events go with
 * the recording that holds their footage (`eventsByFootage`), their images
 * counting toward its bytes; an event without stored footage is weighed on
 * its own, by the same limits.
 *
 * Order of a removal, under the recording's lock: delete the row (chunk rows
 * go with it) → publish `recording-removed` → delete the files. A crash after
 * the row is gone leaves files without a row, never a row without files; the
 * next sweep deletes such orphan folders (their id has no row). An event is
 * removed the same way under its own lock: row (image rows go with it), then
 * its image folder. An upload
 * stages its bytes beside the lock and holds it from its last check to its
 * row; a folder with a chunk being staged is never taken for an orphan
 * (`ChunkStore.deleteOrphan`). Temp files of earlier processes are removed
 * by the first sweep that succeeds in doing so (they cannot appear later).
 *
 * Servers sharing one PostgreSQL store sweep one at a time: a sweep runs
 * under the store's sweep lock (`StoreLocks.trySweep`, an advisory lock
 * there), and a server that finds it taken skips its turn. The per-recording
 * `locks` are this server's own (its uploads and files).
 */
export class RetentionSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepResult> | undefined;
  /** Whether `removeStaleStaged` has succeeded once: earlier processes leave nothing more. */
  private staleStagedRemoved = false;

  constructor(
    private readonly deps: {
      store: Store;
      chunks: ChunkStore;
      locks: KeyedMutex;
      hub: EventHub;
      logger: Logger;
      events: MotionEventStorage;
      limits: RetentionLimits;
      intervalMs: number;
    },
  ) {}

  /** Sweeps now, then every `intervalMs` (an interval of 0 sweeps only at start). */
  start(): void {
    const tick = () => {
      this.sweep().catch((err: unknown) => this.deps.logger.error({ err }, 'retention sweep failed'));
    };
    tick();
    if (this.deps.intervalMs > 0) this.timer = setInterval(tick, this.deps.intervalMs).unref();
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One sweep; a call while one runs joins it. */
  sweep(nowMs = Date.now()): Promise<SweepResult> {
    this.running ??= this.sweepOnce(nowMs).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** One sweep, unless another server sharing the store runs one now (`StoreLocks.trySweep`): then nothing. */
  private async sweepOnce(nowMs: number): Promise<SweepResult> {
    const outcome = await this.deps.store.locks.trySweep('recordings-retention', () => this.sweepUnderLock(nowMs));
    if (outcome.kind === 'ran') return outcome.value;
    this.deps.logger.debug('retention sweep skipped: another server is sweeping');
    return { removed: 0, events: 0, orphans: 0, staleStaged: 0 };
  }

  private async sweepUnderLock(nowMs: number): Promise<SweepResult> {
    const { store, chunks, locks, logger, limits, events } = this.deps;
    const result: SweepResult = { removed: 0, events: 0, orphans: 0, staleStaged: 0 };
    const recordings = await store.recordings.listAll();
    const motionEvents = await store.motionEvents.listAll();
    /** Ids with a row at the start of this sweep and not removed by it: their folders are no orphans. */
    const owned = new Set([...recordings, ...motionEvents].map((row) => row.id));
    for (const { recording: item, reason } of recordingsToRemove(retainedItems(recordings, motionEvents), limits, nowMs)) {
      if (item.recording) {
        owned.delete(item.recording.id);
        await this.removeRecording(item.recording, reason, result);
      }
      for (const event of item.events) {
        owned.delete(event.id);
        await this.removeEvent(event.id, result);
      }
    }
    result.orphans += await this.removeOrphans(chunks, locks, owned, async (id) => !!(await store.recordings.findById(id)));
    result.orphans += await this.removeOrphans(
      events.images,
      events.locks,
      owned,
      async (id) => !!(await store.motionEvents.findById(id)),
    );
    if (!this.staleStagedRemoved) {
      result.staleStaged = (await chunks.removeStaleStaged()) + (await events.images.removeStaleStaged());
      this.staleStagedRemoved = true;
    }
    if (result.removed + result.events + result.orphans + result.staleStaged > 0) logger.info(result, 'retention sweep');
    return result;
  }

  /** Removes a recording under its lock: row, `recording-removed`, files. */
  private async removeRecording(recording: RecordingRecord, reason: 'age' | 'size', result: SweepResult): Promise<void> {
    const { store, chunks, locks, hub } = this.deps;
    await locks.run(recording.id, async () => {
      if (!(await store.recordings.delete(recording.id))) return;
      hub.publish(recording.householdId, {
        type: 'recording-removed',
        recordingId: recording.id,
        deviceId: recording.deviceId,
        reason,
      });
      await chunks.deleteRecording(recording.id);
      result.removed++;
    });
  }

  /** Removes a camera event under its lock: row (with its image rows), then its images. */
  private async removeEvent(id: string, result: SweepResult): Promise<void> {
    const { store, events } = this.deps;
    await events.locks.run(id, async () => {
      if (!(await store.motionEvents.delete(id))) return;
      await events.images.deleteRecording(id);
      result.events++;
    });
  }

  /** Deletes the folders of `files` that no row owns (`hasRow` checked again under the lock). @returns how many. */
  private async removeOrphans(
    files: ChunkStore,
    locks: KeyedMutex,
    owned: Set<string>,
    hasRow: (id: string) => Promise<boolean>,
  ): Promise<number> {
    let removed = 0;
    for (const id of await files.recordingIds()) {
      if (owned.has(id)) continue;
      await locks.run(id, async () => {
        if (await hasRow(id)) return;
        if (await files.deleteOrphan(id)) removed++;
      });
    }
    return removed;
  }
}
