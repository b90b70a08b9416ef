import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { HouseholdEvent } from '../../protocol/index.js';
import { Backoff } from '../shared/backoff.js';
import { ApiRequestError, type ApiClient, type Caller } from './api-client.js';
import { Emitter } from '../shared/emitter.js';
import { log } from '../shared/logger.js';

/**
 * What a live stream dispatches: `ready` (it is (re)subscribed: events may have
 * been missed before, so reload state now), `event` (one event of the stream;
 * owners ignore the types they do not handle) and `interrupted` (the connection
 * dropped; it is being re-opened).
 */
export interface LiveStreamEvents<E> {
  ready: void;
  event: E;
  interrupted: void;
}

/** The server sends a comment every 15 000 ms; this long without any byte means the connection is dead, ms. */
const SILENCE_LIMIT_MS = 40_000;

/**
 * Reads the live stream's Server-Sent Events (`GET /api/stream`, HTML Living
 * Standard §9.2) with fetch and a ReadableStream, which, unlike EventSource,
 * can send the Authorization header. Lines are parsed by `eventsource-parser`.
 * Reconnects with backoff (500 ms doubling to 3 000 ms) until `stop()`, or
 * until the server refuses the credential (the session has then ended).
 * Dispatches `LiveStreamEvents<E>`: for a user the household's events
 * (`HouseholdEvent`), for a camera its own (`E` = `DeviceEvent`).
 */
export class HouseholdEventStream<E extends HouseholdEvent = HouseholdEvent> extends Emitter<LiveStreamEvents<E>> {
  private controller: AbortController | null = null;

  /** @param as whose events: the signed-in user's household (default) or a camera's own */
  constructor(
    private readonly api: ApiClient,
    private readonly as: Caller = 'user',
  ) {
    super();
  }

  /** Opens the stream (again) and keeps it open. */
  start(): void {
    if (this.controller) return;
    const controller = new AbortController();
    this.controller = controller;
    void this.run(controller.signal);
  }

  /** Closes the stream for good. */
  stop(): void {
    this.controller?.abort();
    this.controller = null;
  }

  private async run(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff();
    while (!signal.aborted) {
      try {
        await this.readOnce(signal, () => backoff.reset());
      } catch (error) {
        if (error instanceof ApiRequestError && (error.status === 401 || error.status === 403)) {
          this.stop();
          return;
        }
        log.debug('live stream: the connection failed, opening it again', error);
      }
      if (signal.aborted) return;
      this.emit('interrupted');
      await backoff.wait(signal);
    }
  }

  /** Reads one connection until it ends. */
  private async readOnce(signal: AbortSignal, onOpen: () => void): Promise<void> {
    const connection = new AbortController();
    const abortConnection = () => connection.abort();
    signal.addEventListener('abort', abortConnection);
    let silence: ReturnType<typeof setTimeout> | undefined;
    const heard = () => {
      clearTimeout(silence);
      silence = setTimeout(abortConnection, SILENCE_LIMIT_MS);
    };
    try {
      const res = await this.api.openEvents(connection.signal, this.as);
      if (!res.body) return;
      heard();
      const messages = res.body
        .pipeThrough(new TextDecoderStream())
        .pipeThrough(new EventSourceParserStream({ onComment: heard }))
        .getReader();
      for (;;) {
        const { done, value: message } = await messages.read();
        if (done) return;
        heard();
        if (message.event === 'ready') {
          onOpen();
          this.emit('ready');
          continue;
        }
        const event = parseEvent<E>(message.event, message.data);
        if (event) this.emit('event', event);
      }
    } catch (error) {
      if (!connection.signal.aborted) throw error;
    } finally {
      clearTimeout(silence);
      signal.removeEventListener('abort', abortConnection);
      connection.abort();
    }
  }
}

/** The event in `data` if it is an object whose `type` is the SSE event name (the server's contract: `householdEventSchema`). */
function parseEvent<E extends { type: string }>(type: string | undefined, data: string): E | undefined {
  if (!type) return undefined;
  try {
    const event = JSON.parse(data) as Partial<E> | null;
    return event?.type === type ? (event as E) : undefined;
  } catch {
    // Not JSON: not an event of the contract (e.g. a proxy's page); skipped like an unknown type.
    return undefined;
  }
}
