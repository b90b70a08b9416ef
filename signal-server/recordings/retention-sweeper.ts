import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import type { EventHub } from '../events/event-hub.js';
import type { ChunkStore } from './chunk-store.js';
import type { KeyedMutex } from './keyed-mutex.js';
import { recordingsToRemove, type RetentionLimits } from './retention-rule.js';

/** What one sweep did. */
export interface SweepResult {
  /** Recordings removed by the retention rule. */
  removed: number;
  /** Chunk folders removed because no recording row owned them. */
  orphans: number;
  /** Temp files of earlier processes removed. */
  staleStaged: number;
}

/**
 * Applies the retention rule (`recordingsToRemove`) every `intervalMs` and
 * once at start, and repairs what a crash left behind.
 *
 * Order of a removal, under the recording's lock: delete the row (chunk rows
 * go with it) → publish `recording-removed` → delete the files. A crash after
 * the row is gone leaves files without a row, never a row without files; the
 * next sweep deletes such orphan folders (their id has no row). An upload
 * stages its bytes beside the lock and holds it from its last check to its
 * row; a folder with a chunk being staged is never taken for an orphan
 * (`ChunkStore.deleteOrphan`). Temp files of earlier processes are removed
 * by the first sweep that succeeds in doing so (they cannot appear later).
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

  private async sweepOnce(nowMs: number): Promise<SweepResult> {
    const { store, chunks, locks, hub, logger, limits } = this.deps;
    const result: SweepResult = { removed: 0, orphans: 0, staleStaged: 0 };
    const recordings = await store.recordings.listAll();
    /** Ids with a row at the start of this sweep and not removed by it: their folders are no orphans. */
    const owned = new Set(recordings.map((recording) => recording.id));
    for (const { recording, reason } of recordingsToRemove(recordings, limits, nowMs)) {
      owned.delete(recording.id);
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
    for (const id of await chunks.recordingIds()) {
      if (owned.has(id)) continue;
      await locks.run(id, async () => {
        if (await store.recordings.findById(id)) return;
        if (await chunks.deleteOrphan(id)) result.orphans++;
      });
    }
    if (!this.staleStagedRemoved) {
      result.staleStaged = await chunks.removeStaleStaged();
      this.staleStagedRemoved = true;
    }
    if (result.removed + result.orphans + result.staleStaged > 0) logger.info(result, 'retention sweep');
    return result;
  }
}
