import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import express from 'express';
import { ExpressPeerServer, type IClient } from 'peer';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import type { SessionEndings } from '../auth/session-endings.js';
import type { CameraAccess } from '../store/store.js';
import { seenFrom, type SeenFrom } from '../audit/audit-log.js';
import { parsePeerId } from './peer-ids.js';
import { PeerSockets } from './peer-sockets.js';
import type { TicketGate } from './ticket-gate.js';
import type { ClusterSignaling, PeerMessage } from './cluster-signaling.js';

/**
 * The PeerJS `token` the PeerServer sees for every authorized socket. The
 * ticket itself (about 400 bytes) is checked here and not handed on: the
 * PeerServer would keep it per client for the socket's life, only to compare
 * it when a socket with the same id connects (PeerJS protocol: same token
 * adopts the socket, another one gets ID-TAKEN); a stale socket of the id is
 * closed before a new one is passed on, so one constant token is enough.
 */
const VERIFIED_TOKEN = 'ok';

/** Message types a PeerJS client may send (PeerJS server protocol: peerjs-server `MessageType`). */
const CLIENT_MESSAGE_TYPES = new Set(['HEARTBEAT', 'OFFER', 'ANSWER', 'CANDIDATE', 'LEAVE']);

export interface SignalingOptions {
  /** Where PeerJS clients point their `path` option; the socket is at `<mountPath>/peerjs`. */
  mountPath: string;
  /** PeerJS API key clients must send. */
  key: string;
  /** No HEARTBEAT for this long closes the socket, ms. */
  aliveTimeoutMs: number;
  /** Checks the ticket of each socket that opens. */
  gate: TicketGate;
  /** A viewer's socket closes when its sign-in session ends. */
  sessionEndings: SessionEndings;
  presence: PresenceTracker;
  /** Told of every message relayed and every socket that closes (e.g. the audit log's live views). */
  relay?: RelayObserver;
  /** With several instances: messages for peers of other instances go there, peer ids are held once across all. */
  cluster?: ClusterSignaling;
  logger: Logger;
}

/** A relayed PeerJS client message (PeerJS server protocol), as far as the relay read it. */
export interface RelayedMessage {
  type: string;
  dst?: string;
  payload?: unknown;
}

/** What the signaling server tells about the messages it relays and the sockets that close. */
export interface RelayObserver {
  /**
   * A message of `senderPeerId`'s socket, opened from `from`, passed the checks and goes to the PeerServer
   * (or, with `cluster`, to the instance that holds its addressee);
   * `dstOnline`: its addressee has a socket open now, here or on another instance (else the PeerServer
   * queues it until it expires).
   */
  relayed(senderPeerId: string, from: SeenFrom, message: RelayedMessage, dstOnline: boolean): void;
  /** The socket of `peerId` closed (not one replaced by a newer socket of the same peer id). */
  socketClosed(peerId: string): void;
}

/**
 * PeerJS signaling (the `peer` package's PeerServer) with Peerwatch's
 * authorization in front of it:
 *
 * - A socket opens only with a valid signaling ticket (a JWT from
 *   `POST /api/signaling/tickets`) as its PeerJS `token`, only for the peer
 *   id the ticket names, once per ticket and only while its camera or
 *   viewer session exists (`TicketGate`); anything else is refused with HTTP
 *   401 before the WebSocket upgrade. A viewer's socket closes when its
 *   session ends (sign-out).
 * - A client's misbehaviour stays with its socket: every upgrade socket has
 *   an error listener from the start (Node hands it over without one), and a
 *   failure while handling one upgrade is logged and answered 500.
 * - OFFER / ANSWER / CANDIDATE / LEAVE are relayed only to peers of the
 *   sender's household, and a viewer's only to cameras it was given; messages
 *   to anyone else are dropped. A viewer's socket closes when what it may see
 *   changes, so the cameras read when it opened stay true.
 * - A new authorized socket for a peer id replaces a stale one (avoids
 *   PeerJS's "ID is taken" after a reconnect; `PeerSockets`: one socket per
 *   peer id at any moment); an unauthorized one never can.
 * - Camera sockets drive presence: online while open, offline on close or
 *   when heartbeats stop for `aliveTimeoutMs`. A socket silent for
 *   `SILENCE_BEFORE_PING_MS` (its page sent no PeerJS message, not even its
 *   timer-driven HEARTBEAT) gets a WebSocket ping (RFC 6455 §5.5.2–5.5.3),
 *   and its pong counts as a heartbeat: the browser's network stack answers
 *   pings, so a camera page whose main thread is busy for a while (an old
 *   phone encoding video) does not look offline, while one that is gone
 *   (closed, crashed, off the network) stops answering. Sockets that send
 *   their heartbeats are never pinged.
 * - With `cluster` (several instances on Redis), a message for a peer
 *   another instance holds is forwarded there instead of waiting in the
 *   PeerServer's queue (no false EXPIRE), and a peer id another instance
 *   holds is answered ID-TAKEN (see `ClusterSignaling`).
 */
export class SignalingServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly sockets = new PeerSockets();
  private readonly socketPath: string;
  private readonly pinger: NodeJS.Timeout;
  /** The PeerServer's clients (PeerJS OPEN sent), by peer id: where forwarded messages are delivered. */
  private readonly clients = new Map<string, IClient>();
  /** Resolves once messages forwarded from other instances are received (at once without `cluster`). */
  readonly ready: Promise<void>;

  constructor(private readonly options: SignalingOptions) {
    this.socketPath = `${options.mountPath.replace(/\/$/, '')}/peerjs`;
    const peerServer = ExpressPeerServer({} as Server, {
      key: options.key,
      path: '/',
      alive_timeout: options.aliveTimeoutMs,
      allow_discovery: false,
      concurrent_limit: 1_000_000,
      createWebSocketServer: () => this.wss,
    });
    // PeerServer starts when mounted. Its HTTP routes (id generation, peer
    // listing) are never exposed: this holder app is not served.
    express().use(peerServer);
    peerServer.on('connection', (client: IClient) => {
      this.clients.set(client.getId(), client);
      this.onPresence(client.getId(), true);
    });
    peerServer.on('disconnect', (client: IClient) => {
      if (this.clients.get(client.getId()) === client) this.clients.delete(client.getId());
      this.onPresence(client.getId(), false);
    });
    peerServer.on('error', (err: Error) => options.logger.debug({ err }, 'signaling socket error'));
    this.pinger = setInterval(() => {
      const silentSince = Date.now() - SILENCE_BEFORE_PING_MS;
      for (const ws of this.sockets.values()) {
        if ((ws as HeardSocket).heardAtMs < silentSince) ws.ping();
      }
    }, PING_CHECK_MS);
    this.pinger.unref();
    this.ready = options.cluster
      ? options.cluster.start({ has: (peerId) => this.sockets.has(peerId), deliver: (message) => this.deliver(message) })
      : Promise.resolve();
    this.ready.catch((err: unknown) => options.logger.error({ err }, 'signaling from other instances not received'));
  }

  /** Number of open signaling sockets. */
  get socketCount(): number {
    return this.sockets.size;
  }

  /** Routes WebSocket upgrades of `server` (any path) here. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', this.onUpgradeSocketError);
      this.handleUpgrade(req, socket, head).catch((err: unknown) => {
        this.options.logger.error({ err }, 'signaling upgrade failed');
        reject(socket, 500, 'Internal Server Error');
      });
    });
  }

  /** Closes the socket of a peer at once (e.g. a removed camera). */
  closePeer(peerId: string): void {
    this.sockets.terminate(peerId);
  }

  /** Closes every socket, stops accepting new ones and stops receiving from other instances. */
  close(): void {
    clearInterval(this.pinger);
    for (const ws of this.sockets.values()) ws.terminate();
    this.wss.close();
    this.options.cluster?.close().catch((err: unknown) => this.options.logger.warn({ err }, 'signaling channel not unsubscribed'));
  }

  /**
   * Checks the ticket, upgrades and admits the socket. With the SQLite store,
   * whose calls resolve at once, the check and the admission run in one turn
   * of the event loop, so a camera's removal (`closePeer`) falls either before
   * the check (refused) or after the admission (closed). A store whose calls
   * wait on a network would need removal to abort upgrades under way as well.
   * With `cluster`, the peer id is claimed after the admission (so removal
   * meanwhile closes the socket) and before PeerJS's OPEN: one held by
   * another instance gets ID-TAKEN (PeerJS protocol) and is closed.
   */
  private async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const target = req.url ?? '';
    if (!URL.canParse(target, 'http://localhost')) {
      reject(socket, 400, 'Bad Request');
      return;
    }
    const url = new URL(target, 'http://localhost');
    if (url.pathname !== this.socketPath) {
      reject(socket, 404, 'Not Found');
      return;
    }
    const query = url.searchParams;
    const admission = await this.options.gate.admit({ key: query.get('key'), id: query.get('id'), token: query.get('token') });
    if (admission.kind === 'refused') {
      const peerId = (query.get('id') ?? '').slice(0, 80);
      this.options.logger.info({ peerId, reason: admission.reason }, 'signaling socket refused');
      reject(socket, admission.status, admission.status === 401 ? 'Unauthorized' : 'Service Unavailable');
      return;
    }
    const { claims, cameras } = admission;
    const ws = await new Promise<WebSocket>((resolve) => this.wss.handleUpgrade(req, socket, head, resolve));
    ws.on('error', this.onUpgradeSocketError);
    (ws as HeardSocket).heardAtMs = Date.now();
    ws.on('pong', heartbeatFromPong);
    this.guardRelay(ws, claims.sub, seenFrom(req), claims.hid, cameras);
    this.tellClose(ws, claims.sub);
    if (claims.sid !== undefined) this.closeWithSession(ws, claims.sid);
    if (!(await this.sockets.admit(claims.sub, ws))) return;
    if (this.options.cluster && !(await this.options.cluster.claim(claims.sub))) {
      this.options.logger.info({ peerId: claims.sub }, 'signaling socket refused: peer id held by another instance');
      ws.send(JSON.stringify({ type: 'ID-TAKEN', payload: { msg: 'ID is taken' } }));
      ws.close();
      return;
    }
    if (!this.sockets.isNewest(claims.sub, ws) || ws.readyState !== WebSocket.OPEN) return;
    req.url = `${this.socketPath}?${new URLSearchParams({ key: this.options.key, id: claims.sub, token: VERIFIED_TOKEN })}`;
    this.wss.emit('connection', ws, req);
  }

  /**
   * Error listener of every upgrade socket and signaling WebSocket (one
   * function shared by all): a client's reset or garbage ends only its socket.
   */
  private readonly onUpgradeSocketError = (err: Error): void => {
    this.options.logger.debug({ err }, 'signaling upgrade socket error');
  };

  /** Terminates `ws` when session `sessionId` ends (its own method: the listener's scope holds no upgrade request). */
  private closeWithSession(ws: WebSocket, sessionId: string): void {
    const stopWatching = this.options.sessionEndings.onEnd(sessionId, () => ws.terminate());
    ws.once('close', stopWatching);
  }

  /**
   * Tells the relay observer and the cluster when the socket of `peerId` closes, unless a newer socket of
   * the peer id replaced it (registered before `PeerSockets.admit`, so it runs before that forgets the
   * socket; its own method: the listener's scope holds no upgrade request).
   */
  private tellClose(ws: WebSocket, peerId: string): void {
    const { relay, cluster } = this.options;
    if (!relay && !cluster) return;
    ws.once('close', () => {
      if (!this.sockets.isNewest(peerId, ws)) return;
      relay?.socketClosed(peerId);
      cluster?.released(peerId);
    });
  }

  /** Sends a message forwarded from another instance to its addressee's socket, as the PeerServer relays; false when it has none here. */
  private deliver(message: PeerMessage): boolean {
    const client = this.clients.get(message.dst);
    if (!client?.getSocket()) return false;
    client.send(message);
    return true;
  }

  /**
   * Drops, before the PeerServer sees them, messages of unknown type,
   * messages addressed to a peer outside the sender's household, and a
   * viewer's messages (OFFER first of all) to a camera it was not given;
   * with `cluster`, forwards those for a peer of another instance there
   * (and refreshes the peer id's claim on each heartbeat); tells `relay` of
   * the others.
   */
  private guardRelay(ws: WebSocket, peerId: string, from: SeenFrom, householdId: string, cameras: CameraAccess): void {
    const emit = ws.emit.bind(ws) as (event: string | symbol, ...args: unknown[]) => boolean;
    const { relay, cluster } = this.options;
    const lost = () => ws.terminate();
    ws.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event !== 'message') return emit(event, ...args);
      (ws as HeardSocket).heardAtMs = Date.now();
      const message = allowedMessage(args[0], householdId, cameras);
      if (!message) return false;
      if (message.type === 'HEARTBEAT') {
        cluster?.heartbeat(peerId, lost);
        return emit(event, ...args);
      }
      const dstOnlineHere = () => message.dst !== undefined && this.sockets.has(message.dst);
      if (!cluster) {
        relay?.relayed(peerId, from, message, dstOnlineHere());
        return emit(event, ...args);
      }
      cluster.route({ ...message, src: peerId }, householdId, (where) => {
        relay?.relayed(peerId, from, message, where === 'forwarded' || dstOnlineHere());
        if (where === 'here') emit(event, ...args);
      });
      return true;
    }) as typeof ws.emit;
  }

  private onPresence(peerId: string, online: boolean): void {
    const parsed = parsePeerId(peerId);
    if (parsed?.kind !== 'camera') return;
    if (online) this.options.presence.connected(parsed.householdId, parsed.deviceId);
    else this.options.presence.disconnected(parsed.householdId, parsed.deviceId);
  }
}

/**
 * A socket silent this long is pinged, ms: longer than the 5 s between a
 * healthy page's heartbeats, so those are never pinged; with `PING_CHECK_MS`
 * a starved page's pongs come at most 7 s apart, well inside the 11 s alive
 * timeout.
 */
const SILENCE_BEFORE_PING_MS = 6_000;
/** How often silent sockets are looked for, ms. */
const PING_CHECK_MS = 1_000;

/** A signaling socket with when its page was last heard (any message, or a pong), ms since the epoch. */
type HeardSocket = WebSocket & { heardAtMs: number };
/** A PeerJS HEARTBEAT message (PeerJS protocol), as the PeerServer reads it from a socket. */
const HEARTBEAT = Buffer.from(JSON.stringify({ type: 'HEARTBEAT' }));

/** A pong counts as a heartbeat: handed to the PeerServer as if the page had sent HEARTBEAT (one shared listener). */
function heartbeatFromPong(this: WebSocket): void {
  this.emit('message', HEARTBEAT, false);
}

/** The message of `data` if the relay passes it on (see `guardRelay`), else undefined (unparseable ones too). */
function allowedMessage(data: unknown, householdId: string, cameras: CameraAccess): RelayedMessage | undefined {
  let message: unknown;
  try {
    message = JSON.parse(String(data));
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, dst, payload } = message as { type?: unknown; dst?: unknown; payload?: unknown };
  if (typeof type !== 'string' || !CLIENT_MESSAGE_TYPES.has(type)) return undefined;
  if (dst === undefined) return type === 'HEARTBEAT' || type === 'LEAVE' ? { type } : undefined;
  if (typeof dst !== 'string') return undefined;
  const peer = parsePeerId(dst);
  if (peer?.householdId !== householdId) return undefined;
  const may = peer.kind !== 'camera' || cameras.kind === 'all' || cameras.deviceIds.includes(peer.deviceId);
  return may ? { type, dst, payload } : undefined;
}

/**
 * Answers an upgrade request that is not taken with a bodyless HTTP response
 * and closes the socket once it is written (or at once if it cannot be).
 */
function reject(socket: Duplex, status: number, reason: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () =>
    socket.destroy(),
  );
}
