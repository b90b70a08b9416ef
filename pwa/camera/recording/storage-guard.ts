import { Emitter } from '../../shared/emitter.js';
import { log } from '../../shared/logger.js';

/** Recording stops when this site's free quota falls below this many bytes… */
export const MIN_FREE_BYTES = 200 * 1024 * 1024;
/** …or, where the quota is small, below this share of it. */
const MIN_FREE_SHARE = 0.1;
/** Recording resumes once free space is this many times the threshold (so it does not flap as chunks come and go). */
const RESUME_FACTOR = 1.25;
/** How often the estimate is read while nothing else asks, ms. */
const CHECK_INTERVAL_MS = 10_000;
/** After the browser refused a write for lack of quota, storage counts as low this long before recording is tried again, ms. */
const FULL_RETRY_MS = 15_000;

/** The site's storage as `navigator.storage.estimate()` reports it (W3C Storage Standard), bytes. */
export interface StorageReading {
  usageBytes: number;
  quotaBytes: number;
  freeBytes: number;
}

/**
 * Watches the storage a camera records into: asks once for persistent
 * storage (`navigator.storage.persist()`, so the browser does not evict
 * footage that is not uploaded yet), then reads `navigator.storage.estimate()`
 * every `CHECK_INTERVAL_MS` and on `check()`. `low` turns true when free
 * quota is under `MIN_FREE_BYTES` (or `MIN_FREE_SHARE` of a quota under 2 GB), and false
 * again once it is `RESUME_FACTOR` times that. A write refused with
 * QuotaExceededError (`markFull`) also makes it low, for `FULL_RETRY_MS`:
 * browsers may report a rounded quota (Chromium adds up to 10 GiB to the
 * usage), so the refusal is the surer sign. Dispatches `change` when `low`
 * changes. Without the Storage API, only `markFull` makes it low.
 */
export class StorageGuard extends Emitter<{ change: void }> {
  low = false;
  reading: StorageReading | null = null;
  /** Whether the browser granted persistent storage; null until asked. */
  persisted: boolean | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private checking: Promise<void> | null = null;
  /** Until when a refused write keeps storage low, ms since the epoch. */
  private fullUntilMs = 0;

  /** Asks for persistence and takes the first reading. */
  async start(): Promise<void> {
    this.timer ??= setInterval(() => void this.check(), CHECK_INTERVAL_MS);
    if (!navigator.storage?.estimate) return;
    try {
      this.persisted = (await navigator.storage.persisted?.()) ?? null;
      if (this.persisted === false && navigator.storage.persist) this.persisted = await navigator.storage.persist();
    } catch (error) {
      // Recording goes on; the browser may evict footage not yet uploaded when it runs short of space.
      log.warn('storage: persistent storage could not be asked for', error);
    }
    await this.check();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A write was refused for lack of quota: storage is low now and for the next `FULL_RETRY_MS`. */
  markFull(): void {
    this.fullUntilMs = Date.now() + FULL_RETRY_MS;
    this.setLow(true);
  }

  /** Reads the estimate now (one reading at a time) and updates `low`; a failed reading leaves `low` as it was. */
  check(): Promise<void> {
    this.checking ??= this.read()
      .catch((error: unknown) => log.warn('storage: the estimate could not be read', error))
      .finally(() => (this.checking = null));
    return this.checking;
  }

  private async read(): Promise<void> {
    let low = false;
    if (navigator.storage?.estimate) {
      const { usage = 0, quota = 0 } = await navigator.storage.estimate();
      const reading = { usageBytes: usage, quotaBytes: quota, freeBytes: Math.max(0, quota - usage) };
      this.reading = reading;
      const thresholdBytes = Math.min(MIN_FREE_BYTES, quota * MIN_FREE_SHARE);
      low = reading.freeBytes < (this.low ? thresholdBytes * RESUME_FACTOR : thresholdBytes);
    }
    this.setLow(low || Date.now() < this.fullUntilMs);
  }

  private setLow(low: boolean): void {
    if (low === this.low) return;
    this.low = low;
    this.emit('change');
  }
}
