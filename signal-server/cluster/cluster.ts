import type { Logger } from 'pino';
import type { SessionEndings } from '../auth/session-endings.js';
import type { PeerCloser } from '../devices/device-removal.js';
import type { EventHub } from '../events/event-hub.js';
import { RedisEventHub } from '../events/redis-event-hub.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import { RedisPresence } from '../presence/redis-presence.js';
import { relayPeerClosing, relaySessionEndings } from './cluster-relays.js';
import { RedisChannels } from './redis-channels.js';
import { connectRedis, type RedisLink } from './redis-connection.js';

/**
 * This instance's part in a group of Peerwatch instances that share one
 * Redis (env REDIS_URL): what goes across instances, for the composition
 * root to use instead of the in-process parts.
 */
export interface Cluster {
  /** The Redis connection (health, and for other modules that go across instances). */
  readonly link: RedisLink;
  /** Household events delivered on every instance (`RedisEventHub`). */
  readonly hub: EventHub;
  /** Session endings that close connections on every instance (for `SessionIssuer`). */
  readonly endings: SessionEndings;
  /** Makes `tracker` count the cameras other instances hold, and tell them of its own (`RedisPresence`). */
  sharePresence(tracker: PresenceTracker): void;
  /** `local` (this instance's signaling), closing peers on the other instances too. */
  closingPeersEverywhere(local: PeerCloser): PeerCloser;
  /** Removes this instance's presence and closes the Redis connection (after the signaling sockets closed). */
  close(): Promise<void>;
}

/**
 * Connects to Redis at `redisUrl` (without waiting for it: see `connectRedis`).
 * @throws TypeError when `redisUrl` is not a Redis URL
 */
export function joinCluster(redisUrl: string, logger: Logger): Cluster {
  const link = connectRedis(redisUrl, logger);
  const channels = new RedisChannels(link, logger);
  const sessionEndings = relaySessionEndings(channels);
  const stops = [sessionEndings.stop];
  const presences: RedisPresence[] = [];
  const hub = new RedisEventHub(channels, logger);
  return {
    link,
    hub,
    endings: sessionEndings.endings,
    sharePresence(tracker) {
      presences.push(new RedisPresence(tracker, link, channels, logger));
    },
    closingPeersEverywhere(local) {
      const { peers, stop } = relayPeerClosing(channels, local);
      stops.push(stop);
      return peers;
    },
    async close() {
      for (const stop of stops) stop();
      hub.close();
      await Promise.all(presences.map((presence) => presence.close()));
      channels.close();
      await link.close();
    },
  };
}
