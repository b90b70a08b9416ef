import type { Logger } from 'pino';
import type { RedisLink } from '../cluster/redis-connection.js';
import { parsePeerId } from './peer-ids.js';
import { PeerDirectory } from './peer-directory.js';
import { withinMs } from './within-ms.js';

/** PeerJS message types that go from peer to peer through the server (PeerJS server protocol, `MessageType`). */
const FORWARDED_TYPES = new Set(['OFFER', 'ANSWER', 'CANDIDATE', 'LEAVE', 'EXPIRE']);

/** The Redis pub/sub channel of an instance: messages for the peers whose sockets it holds. */
export const instanceChannel = (instanceId: string): string => `signal:instance:${instanceId}`;

/** A PeerJS message between two peers, as the server relays it (PeerJS server protocol; `src` set by the server). */
export interface PeerMessage {
  type: string;
  src: string;
  dst: string;
  payload?: unknown;
}

/** A message of a local socket to relay (PeerJS protocol; `src` its peer id; no `dst`: a LEAVE of the server). */
export type OutgoingMessage = Omit<PeerMessage, 'dst'> & { dst?: string };

/**
 * A `PeerMessage` on its way to another instance, as published on that
 * instance's channel (JSON): with the sender's household as its ticket said
 * (checked again where it is delivered) and the sender's instance (where an
 * EXPIRE goes back when the addressee has left).
 */
export interface ForwardedMessage extends PeerMessage {
  householdId: string;
  fromInstanceId: string;
}

/** Where `ClusterSignaling.route` sent a message: to this instance's PeerServer, or to another instance. */
export type Route = 'here' | 'forwarded';

/** The signaling sockets of this instance, as `ClusterSignaling` needs them. */
export interface LocalPeers {
  /** True when a socket of `peerId` is open here (or waits for its turn). */
  has(peerId: string): boolean;
  /** Sends `message` on the open socket of `message.dst`; false when there is none here. */
  deliver(message: PeerMessage): boolean;
}

export interface ClusterSignalingOptions {
  /**
   * This instance's Redis connection: `publisher` for the directory's keys and PUBLISH, `subscriber`
   * for this instance's channel, `processId` (unique per running process) as the instance's id.
   */
  link: RedisLink;
  /** Lifetime of a peer id's claim without a heartbeat, ms: the signaling alive timeout. */
  peerTtlMs: number;
  /** Longest wait for one Redis call, ms (default 1 000). */
  redisWaitMs?: number;
  logger: Logger;
}

/**
 * Signaling across instances: each instance's `SignalingServer` (the `peer`
 * package's PeerServer behind Peerwatch's checks) serves its own sockets,
 * and messages for peers whose socket another instance holds go through
 * Redis, on that instance's channel (`signal:instance:<id>`), found in the
 * peer directory (`PeerDirectory`: `signal:peer:<peerId>` → instance id).
 *
 * Why a routing layer of ours in front of the PeerServer, and not its hooks
 * or a patch of `peer` (1.0.2, read in node_modules/peer and
 * peerjs-server `src/`): its realm (the clients and message queues) is made
 * inside `createInstance()` and never exposed; its only hooks are events
 * (`connection`, `message`, `disconnect`) emitted *beside* its handling, so
 * a `message` listener cannot keep the transmission handler from queueing a
 * message for a peer it does not hold, which `MessagesExpire` then answers
 * with a false EXPIRE ("peer unavailable") after `expire_timeout` (5 s).
 * `SignalingServer` already sees every client message before the PeerServer
 * (its household checks wrap the socket's `message` event), so the routing
 * sits there: a message for a peer of another instance is forwarded and
 * never reaches the local PeerServer. A patch would have to be kept up with
 * every `peer` release; the layer uses only the wire protocol and the
 * `connection`/`disconnect` events (whose `IClient` delivers forwarded
 * messages exactly as the transmission handler does: `client.send`).
 *
 * - Routing: a message for a peer on this instance, or on none (the
 *   directory has no key: then the PeerServer queues it and sends EXPIRE
 *   after 5 s, as the stock server does), goes to the PeerServer; one for a
 *   peer on another instance is published to that instance's channel. A
 *   sender's messages keep their order (an OFFER before its CANDIDATEs):
 *   while one waits for the directory, the sender's next ones wait behind it.
 * - Delivery: a forwarded message is delivered only when its sender, its
 *   addressee and the household it carries agree (the sender's instance
 *   checked the viewer's camera list; signaling stays within a household).
 *   One for a peer that left this instance meanwhile is answered with
 *   EXPIRE to its sender, as the PeerServer would.
 * - Peer ids: a socket's peer id is claimed in the directory before PeerJS's
 *   OPEN; one held by another live instance is refused (ID-TAKEN), one held
 *   by an instance that is gone (killed) is taken over. Heartbeats refresh
 *   the claim (TTL `peerTtlMs`), the socket's close releases it.
 * - Redis unreachable (`RedisLink` down): each instance goes on serving its
 *   own sockets and opens new ones; claims are admitted (a peer id held
 *   twice is settled at the next heartbeat once Redis is back: the instance
 *   that cannot claim closes its socket), lookups fall back to the local
 *   PeerServer (the sender hears EXPIRE), the channel is subscribed again
 *   when Redis is back, and heartbeats write the directory again within one
 *   heartbeat interval (a restarted Redis starts empty). The first failure is
 *   logged as a warning, the recovery too.
 */
export class ClusterSignaling {
  private readonly directory: PeerDirectory;
  private readonly waitMs: number;
  /** This instance's id in the directory and on its channel (`RedisLink.processId`). */
  private readonly instanceId: string;
  private readonly channel: string;
  private local: LocalPeers | null = null;
  private stopWatching: () => void = () => {};
  /** By sender peer id, while some of its messages wait for the directory: the last of them. */
  private readonly tails = new Map<string, Promise<void>>();
  /** Whether the last Redis call failed (to log the first failure and the recovery only). */
  private failing = false;

  constructor(private readonly options: ClusterSignalingOptions) {
    this.waitMs = options.redisWaitMs ?? 1_000;
    this.instanceId = options.link.processId;
    this.channel = instanceChannel(this.instanceId);
    this.directory = new PeerDirectory(options.link.publisher, this.instanceId, options.peerTtlMs, this.waitMs);
  }

  /**
   * Starts delivering the messages forwarded to this instance to `local`:
   * subscribes this instance's channel once Redis is up, and again each time
   * it is back.
   * @returns resolves once the first subscription was made (or failed: then it is made when Redis is back)
   */
  async start(local: LocalPeers): Promise<void> {
    this.local = local;
    this.stopWatching = this.options.link.onChange((health) => {
      if (health.state === 'up') void this.subscribe();
    });
    await this.options.link.ready();
    await this.subscribe();
  }

  /** Stops receiving forwarded messages. */
  async close(): Promise<void> {
    this.stopWatching();
    try {
      await this.options.link.subscriber.unsubscribe(this.channel, this.onForwarded);
    } catch (err) {
      this.options.logger.debug({ err }, 'signaling channel not unsubscribed (redis is down)');
    }
  }

  /** SUBSCRIBE this instance's channel (a no-op in node-redis when it is subscribed already). */
  private async subscribe(): Promise<void> {
    try {
      await this.options.link.subscriber.subscribe(this.channel, this.onForwarded);
    } catch (err) {
      this.failed(err, 'signaling channel subscription');
    }
  }

  /**
   * Claims `peerId` for this instance. One held by an instance that is gone (no
   * subscriber on its channel: Redis drops a subscription when its connection
   * closes, also when the process was killed) is taken over at once, rather
   * than after its TTL.
   * @returns false when another live instance holds `peerId` (answer ID-TAKEN); true otherwise, also when Redis is unreachable
   */
  async claim(peerId: string): Promise<boolean> {
    try {
      const claim = await this.directory.claim(peerId);
      const held = claim.kind === 'held' || (!(await this.listening(claim.holder)) && (await this.directory.takeOver(peerId, claim.holder)));
      this.recovered();
      return held;
    } catch (err) {
      this.failed(err, 'peer id claim');
      return true;
    }
  }

  /**
   * @returns whether instance `instanceId` is subscribed to its channel (Redis PUBSUB NUMSUB)
   * @throws Error when Redis fails or does not answer within `waitMs`
   */
  private async listening(instanceId: string): Promise<boolean> {
    const channel = instanceChannel(instanceId);
    const counts = await withinMs(this.options.link.publisher.pubSubNumSub(channel), this.waitMs, 'instance check');
    return (counts[channel] ?? 0) > 0;
  }

  /** A heartbeat of `peerId`'s socket: refreshes its claim; calls `lost` when another instance holds the peer id now. */
  heartbeat(peerId: string, lost: () => void): void {
    void this.claim(peerId).then((held) => {
      if (held) return;
      this.options.logger.info({ peerId }, 'peer id held by another instance: socket closed');
      lost();
    });
  }

  /** The socket of `peerId` closed (and no newer one of this instance replaced it): gives up its claim. */
  released(peerId: string): void {
    this.directory.release(peerId).then(
      () => this.recovered(),
      (err: unknown) => this.failed(err, 'peer id release'),
    );
  }

  /**
   * Sends `message` of a local socket (checked: its addressee is of
   * `householdId`) to another instance when its addressee is there; else
   * calls `route('here')`, for the PeerServer to take it. `route` is called
   * once, with `forwarded` when it went to another instance.
   */
  route(message: OutgoingMessage, householdId: string, route: (where: Route) => void): void {
    const { src, dst } = message;
    const tail = this.tails.get(src);
    if (!tail && (dst === undefined || this.local?.has(dst))) {
      route('here');
      return;
    }
    const next = (tail ?? Promise.resolve())
      .then(() => this.routeWhenLocated(message, householdId, route))
      .catch((err: unknown) => this.options.logger.error({ err, peerId: src }, 'signaling message not routed'));
    this.tails.set(src, next);
    void next.then(() => {
      if (this.tails.get(src) === next) this.tails.delete(src);
    });
  }

  /** `route`'s part for a message that waits its turn or for the directory. */
  private async routeWhenLocated(message: OutgoingMessage, householdId: string, route: (where: Route) => void): Promise<void> {
    const { dst } = message;
    if (dst === undefined || this.local?.has(dst)) {
      route('here');
      return;
    }
    let holder: string | null = null;
    try {
      holder = await this.directory.locate(dst);
      this.recovered();
    } catch (err) {
      this.failed(err, 'peer lookup');
    }
    const forwarded =
      holder !== null &&
      holder !== this.instanceId &&
      (await this.publish(holder, { ...message, dst, householdId, fromInstanceId: this.instanceId }));
    route(forwarded ? 'forwarded' : 'here');
  }

  /** @returns true when an instance subscribed to `instanceId`'s channel received `message`. */
  private async publish(instanceId: string, message: ForwardedMessage): Promise<boolean> {
    try {
      const receivers = await withinMs(
        this.options.link.publisher.publish(instanceChannel(instanceId), JSON.stringify(message)),
        this.waitMs,
        'signaling forward',
      );
      this.recovered();
      return receivers > 0;
    } catch (err) {
      this.failed(err, 'signaling forward');
      return false;
    }
  }

  /** A message on this instance's channel (one listener shared by the subscription). */
  private readonly onForwarded = (raw: string): void => {
    const message = parseForwarded(raw);
    if (!message) {
      this.options.logger.warn({ raw: raw.slice(0, 200) }, 'malformed forwarded signaling message dropped');
      return;
    }
    const { type, src, dst, payload, householdId } = message;
    if (parsePeerId(src)?.householdId !== householdId || parsePeerId(dst)?.householdId !== householdId) {
      this.options.logger.warn({ src, dst, householdId }, 'forwarded signaling message across households dropped');
      return;
    }
    if (this.local?.deliver(payload === undefined ? { type, src, dst } : { type, src, dst, payload })) return;
    if (type === 'LEAVE' || type === 'EXPIRE') return;
    // The addressee left this instance meanwhile: its sender hears EXPIRE, as from the PeerServer.
    const expire = { type: 'EXPIRE', src: dst, dst: src, householdId, fromInstanceId: this.instanceId };
    void this.publish(message.fromInstanceId, expire);
  };

  private failed(err: unknown, what: string): void {
    if (this.failing) return;
    this.failing = true;
    this.options.logger.warn({ err, what }, 'signaling across instances: Redis unreachable');
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.options.logger.info('signaling across instances: Redis reachable again');
  }
}

/** The `ForwardedMessage` of `raw` (JSON), or undefined when it is not one. */
function parseForwarded(raw: string): ForwardedMessage | undefined {
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, src, dst, payload, householdId, fromInstanceId } = message as Record<string, unknown>;
  const strings = [type, src, dst, householdId, fromInstanceId].every((field) => typeof field === 'string');
  if (!strings || !FORWARDED_TYPES.has(type as string)) return undefined;
  return { type, src, dst, payload, householdId, fromInstanceId } as ForwardedMessage;
}
