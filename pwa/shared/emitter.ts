/** The event an `Emitter` dispatches on its EventTarget: a name and its payload. */
class PayloadEvent extends Event {
  constructor(
    type: string,
    readonly payload: unknown,
  ) {
    super(type);
  }
}

/** The names of the events in `Events` that carry no payload (`void`). */
type VoidKeys<Events> = { [K in keyof Events & string]: [Events[K]] extends [void] ? K : never }[keyof Events & string];

/**
 * Base class of a service that sends typed events: `Events` maps each event
 * name to its payload (`void` for none), declared once, so a listener with a
 * wrong name or payload does not compile (the same idea as PeerJS's
 * `EventsWithError` maps). Built on an EventTarget: a listener that throws is
 * reported (to `window.onerror`) and does not keep the others from running,
 * and a listener added with an AbortSignal is removed when it aborts.
 *
 * @example
 *   class Clock extends Emitter<{ tick: number; stop: void }> { ... this.emit('tick', nowMs) }
 *   const off = clock.on('tick', (nowMs) => draw(nowMs)); ... off();
 */
export class Emitter<Events extends { [K in keyof Events]: unknown }> {
  private readonly target = new EventTarget();

  /**
   * Calls `listener` with the payload of each `type` event until the returned
   * function is called or `signal` aborts.
   */
  on<K extends keyof Events & string>(
    type: K,
    listener: (payload: Events[K]) => void,
    signal?: AbortSignal,
  ): () => void {
    // Only `emit` dispatches on this private target, always with the payload declared for `type`.
    const relay = (event: Event) => listener((event as PayloadEvent).payload as Events[K]);
    this.target.addEventListener(type, relay, { signal });
    return () => this.target.removeEventListener(type, relay);
  }

  /** Sends a `type` event (one without a payload) to every listener, in the order they were added. */
  protected emit<K extends VoidKeys<Events>>(type: K): void;
  /** Sends a `type` event with its payload to every listener, in the order they were added. */
  protected emit<K extends keyof Events & string>(type: K, payload: Events[K]): void;
  protected emit(type: string, payload?: unknown): void {
    this.target.dispatchEvent(new PayloadEvent(type, payload));
  }
}
