/**
 * Keeps the screen on while the camera runs (W3C Screen Wake Lock API), where
 * the browser supports it. The browser drops the lock whenever the page is
 * hidden, so it is requested again each time the page becomes visible.
 */
export class ScreenWakeLock {
  private sentinel: WakeLockSentinel | null = null;
  private active = false;
  private readonly onVisibility = () => {
    if (document.visibilityState === 'visible') void this.acquire();
  };

  /** True where the API exists. */
  static get supported(): boolean {
    return 'wakeLock' in navigator;
  }

  /** Holds the lock from now on (no-op where unsupported). */
  start(): void {
    if (!ScreenWakeLock.supported || this.active) return;
    this.active = true;
    document.addEventListener('visibilitychange', this.onVisibility);
    void this.acquire();
  }

  /** Releases the lock. */
  stop(): void {
    this.active = false;
    document.removeEventListener('visibilitychange', this.onVisibility);
    void this.sentinel?.release().catch(() => {});
    this.sentinel = null;
  }

  private async acquire(): Promise<void> {
    if (!this.active || document.visibilityState !== 'visible' || (this.sentinel && !this.sentinel.released)) return;
    try {
      this.sentinel = await navigator.wakeLock.request('screen');
    } catch {
      /* refused (e.g. battery saver): the camera works on, the screen may dim */
    }
  }
}
