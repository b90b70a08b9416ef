import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * A Lit Reactive Controller that keeps one subscription for as long as its
 * element is connected: `subscribe` runs in `hostConnected` (after the
 * element's properties were set by its parent's template) and returns the
 * function that ends it, called in `hostDisconnected`. An element removed
 * from the page so leaves no listener behind on a longer-lived service.
 *
 * @example new WhileConnected(this, () => this.states.on('change', () => this.requestUpdate()));
 */
export class WhileConnected implements ReactiveController {
  private unsubscribe: (() => void) | null = null;

  constructor(
    host: ReactiveControllerHost,
    private readonly subscribe: () => () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.subscribe();
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
