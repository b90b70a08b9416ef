/**
 * Signaling load generator, run as its own process (`node --import tsx`)
 * by the signaling benchmark and driven over the Node IPC channel
 * (protocol.ts):
 *
 * 1. `start`: opens `peers` PeerJS sockets, `batchSize` at a time, each
 *    sending a HEARTBEAT every 5 s like the PeerJS client; answers `opened`.
 * 2. `relay`: sends `offers` OFFERs (about 3 KB of SDP each) at a steady rate
 *    between fixed pairs of sockets (`PairScheme`: within one instance of a
 *    cluster, across two, or regardless); each arriving OFFER is answered
 *    with an ANSWER. Answers `relayed` with every relay latency of the phase
 *    (send → arrival at the destination socket, ms; both clocks are this
 *    process's). Phases may be repeated on the same sockets.
 * 3. `close`: closes every socket cleanly and answers `closed` with the
 *    error counts, then exits.
 */
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { mintTicket, signalingUrl } from '../support/peerwatch-client.js';
import { openPeerSocket, startHeartbeat, type ServerMessage } from '../support/peer-socket.js';
import { stockSocketUrl } from '../support/stock-peer.js';
import { mediaPayload } from './sdp.js';
import type { ErrorCounts, GeneratorConfig, GeneratorMessage, PairScheme, ParentMessage } from './protocol.js';

/** Ticket requests in flight at a time. */
const TICKET_CONCURRENCY = 16;
/** How often the relay loop sends what is due, ms. */
const RELAY_TICK_MS = 5;
/** Distinct failure reasons kept for the report. */
const MAX_FAILURE_SAMPLES = 5;

interface Peer {
  id: string;
  /** Index of the instance (`baseURLs`) its socket is on. */
  instance: number;
  ws?: WebSocket;
  stopHeartbeat?: () => void;
}

const errors: ErrorCounts = { failedOpens: 0, unexpectedCloses: 0, errorMessages: 0, wrongSource: 0, lost: 0 };
const failures = new Set<string>();
const peers: Peer[] = [];
/** Send time (performance.now()) of each relayed message in flight, by connectionId. */
const sentAt = new Map<string, number>();
/** Expected `src` of each relayed message in flight, by connectionId. */
const expectedSrc = new Map<string, string>();
const latenciesMs: number[] = [];
/** OFFERs and ANSWERs sent so far. */
let relayedSent = 0;
/** Relay phases so far (their connectionIds differ). */
let phases = 0;
let closing = false;

function send(message: GeneratorMessage): void {
  process.send!(message);
}

function noteFailure(reason: string): void {
  errors.failedOpens++;
  if (failures.size < MAX_FAILURE_SAMPLES) failures.add(reason);
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight. */
async function inPool<T, R>(items: T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

function onMessage(peer: Peer, message: ServerMessage): void {
  if (message.type === 'OFFER' || message.type === 'ANSWER') {
    const connectionId = (message.payload as { connectionId?: string } | undefined)?.connectionId ?? '';
    const start = sentAt.get(connectionId);
    if (start === undefined) return;
    latenciesMs.push(performance.now() - start);
    sentAt.delete(connectionId);
    if (message.src !== expectedSrc.get(connectionId)) errors.wrongSource++;
    expectedSrc.delete(connectionId);
    if (message.type === 'OFFER' && message.src) {
      const answerId = `a${connectionId.slice(1)}`;
      relay(peer, message.src, 'ANSWER', answerId);
    }
    return;
  }
  if (['ERROR', 'ID-TAKEN', 'EXPIRE', 'LEAVE'].includes(message.type)) errors.errorMessages++;
}

function relay(from: Peer, dst: string, type: 'OFFER' | 'ANSWER', connectionId: string): void {
  const payload = mediaPayload(type === 'OFFER' ? 'offer' : 'answer', connectionId);
  sentAt.set(connectionId, performance.now());
  expectedSrc.set(connectionId, from.id);
  relayedSent++;
  from.ws!.send(JSON.stringify({ type, dst, payload }));
}

/** The socket URL for peer number `index` and its instance (minting a Peerwatch ticket there when needed). */
async function socketUrlFor(config: GeneratorConfig, index: number): Promise<{ id: string; url: string; instance: number }> {
  const { target } = config;
  if (target.kind === 'peerwatch') {
    const instance = index % target.baseURLs.length;
    const baseURL = target.baseURLs[instance]!;
    const ticket = await mintTicket(baseURL, target.authorization);
    return { id: ticket.peerId, url: signalingUrl(baseURL, ticket), instance };
  }
  const id = `bench${index}x${randomBytes(4).toString('hex')}`;
  return { id, url: stockSocketUrl(target.port, id, randomBytes(8).toString('hex')), instance: 0 };
}

async function openOne(config: GeneratorConfig, url: string, peer: Peer): Promise<void> {
  try {
    const ws = await openPeerSocket(url, { timeoutMs: config.openTimeoutMs, onMessage: (m) => onMessage(peer, m) });
    ws.on('close', () => {
      if (!closing) errors.unexpectedCloses++;
    });
    peer.ws = ws;
    peer.stopHeartbeat = startHeartbeat(ws);
  } catch (error) {
    noteFailure((error as Error).message);
  }
}

async function openAll(config: GeneratorConfig): Promise<void> {
  const startedAt = performance.now();
  for (let first = 0; first < config.peers; first += config.batchSize) {
    const indexes = Array.from({ length: Math.min(config.batchSize, config.peers - first) }, (_, i) => first + i);
    const urls = await inPool(indexes, TICKET_CONCURRENCY, (i) =>
      socketUrlFor(config, i).catch((error: Error) => {
        noteFailure(error.message);
        return undefined;
      }),
    );
    await Promise.all(
      urls.map((entry) => {
        if (!entry) return undefined;
        const peer: Peer = { id: entry.id, instance: entry.instance };
        peers.push(peer);
        return openOne(config, entry.url, peer);
      }),
    );
  }
  const opened = peers.filter((p) => p.ws).length;
  send({ type: 'opened', opened, openMs: performance.now() - startedAt, failures: [...failures] });
}

/** The pairs of open sockets that send each other OFFERs under `scheme` (see `PairScheme`). */
function pairsOf(open: Peer[], scheme: PairScheme): [Peer, Peer][] {
  const halves = (group: Peer[]): [Peer, Peer][] => {
    const half = Math.floor(group.length / 2);
    return group.slice(0, half).map((peer, i) => [peer, group[i + half]!]);
  };
  if (scheme === 'spread') return halves(open);
  const byInstance = new Map<number, Peer[]>();
  for (const peer of open) byInstance.set(peer.instance, [...(byInstance.get(peer.instance) ?? []), peer]);
  const groups = [...byInstance.values()];
  if (scheme === 'same-instance') return groups.flatMap(halves);
  // Round-robin over the instances, then neighbours paired: each pair spans two instances.
  const longest = Math.max(0, ...groups.map((group) => group.length));
  const interleaved = Array.from({ length: longest }, (_, i) => groups.flatMap((group) => (group[i] ? [group[i]] : []))).flat();
  return neighbours(interleaved).filter(([from, to]) => from.instance !== to.instance);
}

/** Elements 0 and 1, 2 and 3, ... of `peers` as pairs (a last odd one left out). */
function neighbours(peers: Peer[]): [Peer, Peer][] {
  return Array.from({ length: Math.floor(peers.length / 2) }, (_, i) => [peers[2 * i]!, peers[2 * i + 1]!]);
}

async function relayPhase(config: GeneratorConfig, scheme: PairScheme): Promise<void> {
  const pairs = pairsOf(peers.filter((p) => p.ws), scheme);
  latenciesMs.length = 0;
  relayedSent = 0;
  const phase = phases++;
  if (pairs.length === 0) {
    send({ type: 'relayed', latenciesMs: [], sent: 0 });
    return;
  }
  const startedAt = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(config.offers, Math.floor(((performance.now() - startedAt) * config.offersPerS) / 1000) + 1);
      for (; sent < due; sent++) {
        const [from, to] = pairs[sent % pairs.length]!;
        relay(from, to.id, 'OFFER', `o${phase}-${sent}`);
      }
      if (sent >= config.offers) {
        clearInterval(timer);
        resolve();
      }
    }, RELAY_TICK_MS);
  });
  const deadline = performance.now() + config.graceMs;
  while (sentAt.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  errors.lost += sentAt.size;
  sentAt.clear();
  send({ type: 'relayed', latenciesMs, sent: relayedSent });
}

async function closeAll(): Promise<void> {
  closing = true;
  const closed = peers.map((peer) => {
    peer.stopHeartbeat?.();
    const ws = peer.ws;
    if (!ws || ws.readyState === ws.CLOSED) return undefined;
    return new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close(1000);
      setTimeout(() => {
        ws.terminate();
        resolve();
      }, 5_000).unref();
    });
  });
  await Promise.all(closed);
  send({ type: 'closed', errors });
  process.disconnect();
}

let config: GeneratorConfig | undefined;
process.on('message', (message: ParentMessage) => {
  const run = async () => {
    if (message.type === 'start') {
      config = message.config;
      await openAll(config);
    } else if (message.type === 'relay') {
      await relayPhase(config!, message.pairs ?? 'spread');
    } else {
      await closeAll();
    }
  };
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
