import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * How long an element may be out of sight before it counts as away, ms
 * (the same grace as go2rtc's `www/video-rtc.js`, `DISCONNECT_TIMEOUT`): a
 * quick tab switch or scroll past does not tear down what it shows.
 */
export const AWAY_GRACE_MS = 5_000;

/** What an `OnScreenController` calls as its element leaves sight and comes back. */
export interface OnScreenHandlers {
  /** The element has been out of sight for the whole grace period. */
  away(): void;
  /** The element is in sight again after `away()`. */
  back(): void;
}

/**
 * Follows whether a Lit element can be seen: its page is visible (W3C Page
 * Visibility, `document.visibilityState` and `visibilitychange`) and the
 * element has at least one pixel in the viewport (W3C IntersectionObserver,
 * threshold 0). Once it has been out of sight for `graceMs` it calls
 * `handlers.away()`; as soon as it is seen again after that it calls
 * `handlers.back()`. Seen again within the grace, nothing is called.
 *
 * Listens only while the host is connected: the listener, the observer and
 * the grace timer are removed in `hostDisconnected`, and the host starts
 * out "in sight" each time it is connected.
 */
export class OnScreenController implements ReactiveController {
  private intersecting = true;
  private away = false;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private observer: IntersectionObserver | null = null;
  private readonly check = () => this.update();

  /**
   * @param host the element to follow (it observes itself: give it `display: block`)
   * @param graceMs out of sight this long counts as away, ms
   */
  constructor(
    private readonly host: ReactiveControllerHost & Element,
    private readonly handlers: OnScreenHandlers,
    private readonly graceMs = AWAY_GRACE_MS,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.intersecting = true;
    this.away = false;
    document.addEventListener('visibilitychange', this.check);
    this.observer = new IntersectionObserver((entries) => {
      const last = entries[entries.length - 1];
      if (last) this.intersecting = last.isIntersecting;
      this.update();
    });
    this.observer.observe(this.host);
    this.update();
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.check);
    this.observer?.disconnect();
    this.observer = null;
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
  }

  private update(): void {
    const seen = document.visibilityState === 'visible' && this.intersecting;
    if (seen) {
      clearTimeout(this.graceTimer);
      this.graceTimer = undefined;
      if (this.away) {
        this.away = false;
        this.handlers.back();
      }
    } else if (!this.away && this.graceTimer === undefined) {
      this.graceTimer = setTimeout(() => {
        this.graceTimer = undefined;
        this.away = true;
        this.handlers.away();
      }, this.graceMs);
    }
  }
}
