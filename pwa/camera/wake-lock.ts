import { Emitter } from '../shared/emitter.js';
import { log } from '../shared/logger.js';

/**
 * - `unsupported`: the browser has no Screen Wake Lock API
 * - `off`: not asked for (before `start()`, after `stop()`)
 * - `held`: asked for; held while the page is visible
 * - `refused`: the browser refused it (e.g. battery saver): the screen may dim
 */
export type WakeLockState = 'unsupported' | 'off' | 'held' | 'refused';

/**
 * Keeps the screen on while the camera runs (W3C Screen Wake Lock API), where
 * the browser supports it. The browser drops the lock whenever the page is
 * hidden, so it is requested again each time the page becomes visible.
 * Sends `change` when `state` changes.
 */
export class ScreenWakeLock extends Emitter<{ change: void }> {
  state: WakeLockState = ScreenWakeLock.supported ? 'off' : 'unsupported';
  private sentinel: WakeLockSentinel | null = null;
  private readonly onVisibility = () => {
    if (document.visibilityState === 'visible') void this.acquire();
  };

  /** True where the API exists. */
  static get supported(): boolean {
    return 'wakeLock' in navigator;
  }

  /** Holds the lock from now on (no-op where unsupported). */
  start(): void {
    if (this.state !== 'off') return;
    this.setState('held');
    document.addEventListener('visibilitychange', this.onVisibility);
    void this.acquire();
  }

  /** Releases the lock. */
  stop(): void {
    if (this.state === 'unsupported') return;
    this.setState('off');
    document.removeEventListener('visibilitychange', this.onVisibility);
    void this.sentinel?.release().catch((error: unknown) => log.debug('wake lock: release failed', error));
    this.sentinel = null;
  }

  private async acquire(): Promise<void> {
    if (this.isOff() || document.visibilityState !== 'visible' || (this.sentinel && !this.sentinel.released)) {
      return;
    }
    try {
      const sentinel = await navigator.wakeLock.request('screen');
      if (this.isOff()) {
        // Stopped while asking: give it back at once.
        await sentinel.release();
        return;
      }
      this.sentinel = sentinel;
      this.setState('held');
    } catch (error) {
      // The camera works on; the page tells the person to keep the screen on.
      log.warn('wake lock: refused', error);
      if (!this.isOff()) this.setState('refused');
    }
  }

  /** Not asked for now (read after each await: `stop()` may have run meanwhile). */
  private isOff(): boolean {
    return this.state === 'off';
  }

  private setState(state: WakeLockState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('change');
  }
}
