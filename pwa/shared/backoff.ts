/**
 * Exponential backoff for reconnect loops: waits `initialMs`, then doubles up
 * to `maxMs`, each wait with ±20 % jitter so many clients do not reconnect in
 * step after a server restart. A wait ends early when the browser reports it
 * is back `online` or when the given signal aborts.
 */
export class Backoff {
  private nextMs: number;

  constructor(
    private readonly initialMs = 500,
    private readonly maxMs = 3_000,
  ) {
    this.nextMs = initialMs;
  }

  /** Starts again from `initialMs` (call after a success). */
  reset(): void {
    this.nextMs = this.initialMs;
  }

  /** Waits the next delay, ms; resolves early on `online` or when `signal` aborts. */
  wait(signal?: AbortSignal): Promise<void> {
    const delayMs = this.nextMs * (0.8 + Math.random() * 0.4);
    this.nextMs = Math.min(this.nextMs * 2, this.maxMs);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        window.removeEventListener('online', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, delayMs);
      window.addEventListener('online', done);
      signal?.addEventListener('abort', done);
    });
  }
}
