import { Counter, Registry } from 'prom-client';
import type { PushOutcome } from '../notifications/push-sender.js';
import type { RelayObserver } from '../signaling/signaling-server.js';

/**
 * What the server did, counted for `GET /metrics` (prom-client counters in
 * `registry`, Prometheus "Metric types": counters only go up): live calls
 * relayed, recording chunks stored and their bytes, camera events started,
 * and push messages by outcome. The features tell it as things happen; the
 * gauges read at scrape time are in `createMetrics`.
 */
export class ServerCounters {
  readonly registry = new Registry();
  private readonly calls = this.counter(
    'peerwatch_calls_relayed_total',
    'Live calls set up: media OFFERs (PeerJS protocol) relayed to a camera whose socket was open.',
  );
  private readonly chunks = this.counter('peerwatch_chunks_stored_total', 'Recording chunks stored (first time; a repeat of stored bytes is not counted).');
  private readonly chunkBytes = this.counter('peerwatch_chunk_bytes_stored_total', 'Bytes of the recording chunks stored.');
  private readonly events = this.counter('peerwatch_camera_events_total', 'Camera events started, by kind (motion, person).', 'kind');
  private readonly pushes = this.counter(
    'peerwatch_push_messages_total',
    'Web Push messages to one subscription, by outcome: delivered, gone (404/410, removed), refused, blocked (endpoint refused) or failed (given up).',
    'outcome',
  );

  /** A chunk of `sizeBytes` bytes was stored. */
  chunkStored(sizeBytes: number): void {
    this.chunks.inc();
    this.chunkBytes.inc(sizeBytes);
  }

  /** A camera event of `kind` started. */
  cameraEvent(kind: string): void {
    this.events.inc({ kind });
  }

  /** A push message to one subscription ended so. */
  pushed(outcome: PushOutcome['kind']): void {
    this.pushes.inc({ outcome });
  }

  /** A counter in `registry`, with one label or none. */
  private counter(name: string, help: string, label?: string): Counter {
    return new Counter({ name, help, labelNames: label ? [label] : [], registers: [this.registry] });
  }

  /** `observer`, with every media OFFER relayed to an online camera counted as a call on the way. */
  countingCalls(observer: RelayObserver): RelayObserver {
    return {
      relayed: (senderPeerId, from, message, dstOnline) => {
        if (message.type === 'OFFER' && dstOnline && isMediaOffer(message.payload)) this.calls.inc();
        observer.relayed(senderPeerId, from, message, dstOnline);
      },
      socketClosed: (peerId) => observer.socketClosed(peerId),
    };
  }
}

/** Whether an OFFER's payload is a media call's (PeerJS protocol: `payload.type` is `media` or `data`). */
function isMediaOffer(payload: unknown): boolean {
  return typeof payload === 'object' && payload !== null && (payload as { type?: unknown }).type === 'media';
}
