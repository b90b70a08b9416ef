/**
 * Messages between the signaling benchmark (parent) and its load generator
 * (child process, Node IPC channel).
 */

/** Where the load generator opens its sockets. */
export type SignalingTarget =
  /**
   * Peerwatch: one viewer ticket per socket from `POST /api/signaling/tickets`; socket `i` on
   * instance `baseURLs[i % baseURLs.length]` (several: instances of one cluster).
   */
  | { kind: 'peerwatch'; baseURLs: string[]; authorization: string }
  /** A stock PeerServer on 127.0.0.1:port: any id, any token. */
  | { kind: 'stock'; port: number };

export interface GeneratorConfig {
  target: SignalingTarget;
  /** Sockets to open and keep open. */
  peers: number;
  /** Sockets opened at a time. */
  batchSize: number;
  /** Longest wait for a socket's OPEN, ms. */
  openTimeoutMs: number;
  /** OFFERs to relay in the measurement window; each is answered by an ANSWER. */
  offers: number;
  /** OFFERs sent per second, at a steady rate. */
  offersPerS: number;
  /** How long to wait for late messages after the last OFFER, ms. */
  graceMs: number;
}

/** Errors the generator saw, by kind (counts). */
export interface ErrorCounts {
  /** Sockets that never got OPEN (ticket refused, upgrade refused, ERROR, ID-TAKEN, timeout). */
  failedOpens: number;
  /** Open sockets that the server closed. */
  unexpectedCloses: number;
  /** ERROR, ID-TAKEN, EXPIRE or LEAVE messages on open sockets. */
  errorMessages: number;
  /** Relayed messages with a wrong `src`. */
  wrongSource: number;
  /** OFFERs and ANSWERs sent that never arrived. */
  lost: number;
}

/**
 * Which sockets send each other OFFERs: `spread` pairs socket i with socket i + N/2 (whatever their
 * instances); `same-instance` and `cross-instance` pair sockets of one instance, or of two different ones.
 */
export type PairScheme = 'spread' | 'same-instance' | 'cross-instance';

export type ParentMessage =
  | { type: 'start'; config: GeneratorConfig }
  /** One relay phase (several may follow each other on the same sockets); `pairs` default `spread`. */
  | { type: 'relay'; pairs?: PairScheme }
  | { type: 'close' };

export type GeneratorMessage =
  | { type: 'opened'; opened: number; openMs: number; failures: string[] }
  | { type: 'relayed'; latenciesMs: number[]; sent: number }
  | { type: 'closed'; errors: ErrorCounts };
