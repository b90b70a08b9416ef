/** A listener of one declared event: a function, or an object with `handleEvent` (DOM Standard §2.7). */
export type TypedListener<E extends Event> = ((event: E) => void) | { handleEvent(event: E): void };

/**
 * An EventTarget whose events are declared once, as a map from event type to
 * the event it dispatches (e.g. `{ change: Event; 'device-event': CustomEvent<DeviceEvent> }`):
 * a listener for a type that is not in the map, or one that expects another
 * payload, does not compile, so listeners need no casts (DOM Standard §2.7).
 */
export class TypedEventTarget<Events extends Record<string, Event>> extends EventTarget {
  override addEventListener<K extends keyof Events & string>(
    type: K,
    listener: TypedListener<Events[K]> | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    super.addEventListener(type, listener as EventListenerOrEventListenerObject | null, options);
  }

  override removeEventListener<K extends keyof Events & string>(
    type: K,
    listener: TypedListener<Events[K]> | null,
    options?: boolean | EventListenerOptions,
  ): void {
    super.removeEventListener(type, listener as EventListenerOrEventListenerObject | null, options);
  }

  /** Dispatches an event of a declared type. @returns false when a listener cancelled it */
  emit<K extends keyof Events & string>(type: K, ...detail: Events[K] extends CustomEvent<infer D> ? [D] : []): boolean {
    return super.dispatchEvent(detail.length > 0 ? new CustomEvent(type, { detail: detail[0] }) : new Event(type));
  }
}
