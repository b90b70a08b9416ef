import { createParser } from 'eventsource-parser';
import type { HouseholdEvent } from '../../protocol/index.js';

interface Waiter {
  matches: (event: HouseholdEvent) => boolean;
  resolve: (arrivedAtMs: number) => void;
}

/**
 * A viewer's subscription to `GET /api/stream` (Server-Sent Events, HTML
 * Living Standard §9.2), read with fetch and parsed with eventsource-parser.
 * Lets a benchmark wait for an event and learn when it arrived.
 */
export class HouseholdEvents {
  private readonly waiters = new Set<Waiter>();

  private constructor(private readonly abort: AbortController) {}

  /**
   * Opens the stream and resolves once the server's `ready` event arrived.
   * @param authorization `Bearer <access JWT>`
   * @throws Error on a non-200 answer or no `ready` within 10 000 ms
   */
  static async open(baseURL: string, authorization: string): Promise<HouseholdEvents> {
    const abort = new AbortController();
    const res = await fetch(`${baseURL}/api/stream`, { headers: { authorization }, signal: abort.signal });
    if (res.status !== 200 || !res.body) throw new Error(`events: HTTP ${res.status}`);
    const events = new HouseholdEvents(abort);
    let ready: () => void;
    const readyPromise = new Promise<void>((resolve) => (ready = resolve));
    const parser = createParser({
      onEvent: (message) => {
        const arrivedAtMs = performance.now();
        if (message.event === 'ready') ready();
        else events.dispatch(JSON.parse(message.data) as HouseholdEvent, arrivedAtMs);
      },
    });
    void (async () => {
      try {
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        for (let read = await reader.read(); !read.done; read = await reader.read()) parser.feed(read.value);
      } catch {
        /* aborted by close() */
      }
    })();
    await withTimeout(readyPromise, 10_000, 'no ready event from /api/stream');
    return events;
  }

  /**
   * Resolves with the arrival time (performance.now(), ms) of the next event
   * that `matches`. Register before causing the event.
   * @throws Error when none arrives within `timeoutMs`
   */
  next(matches: (event: HouseholdEvent) => boolean, timeoutMs: number): Promise<number> {
    let waiter: Waiter;
    const arrived = new Promise<number>((resolve) => {
      waiter = { matches, resolve };
      this.waiters.add(waiter);
    });
    return withTimeout(arrived, timeoutMs, 'expected event did not arrive').finally(() => this.waiters.delete(waiter));
  }

  close(): void {
    this.abort.abort();
  }

  private dispatch(event: HouseholdEvent, arrivedAtMs: number): void {
    for (const waiter of this.waiters) {
      if (!waiter.matches(event)) continue;
      this.waiters.delete(waiter);
      waiter.resolve(arrivedAtMs);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Matches a `presence` event of one camera. */
export function presenceOf(deviceId: string, online: boolean): (event: HouseholdEvent) => boolean {
  return (event) => event.type === 'presence' && event.deviceId === deviceId && event.online === online;
}
