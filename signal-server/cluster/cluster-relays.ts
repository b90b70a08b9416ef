import { z } from 'zod';
import { SESSION_ENDS, SessionEndings } from '../auth/session-endings.js';
import type { PeerCloser } from '../devices/device-removal.js';
import type { RedisChannels } from './redis-channels.js';

/** Channel of session endings between instances. */
const SESSION_ENDINGS_CHANNEL = 'peerwatch:session-endings';
/** Channel of "close this peer's signaling socket" between instances. */
const PEER_CLOSING_CHANNEL = 'peerwatch:peer-closing';

const sessionEndingSchema = z.strictObject({ sessionId: z.string(), why: z.enum(SESSION_ENDS) });
const peerClosingSchema = z.strictObject({ peerId: z.string() });

/**
 * `SessionEndings` across instances: a session ended on one instance
 * (sign-out, removal, access change) closes its event streams and
 * signaling sockets on every instance, through Redis channel
 * `peerwatch:session-endings`. While Redis is down only this instance's
 * connections close at once; the others' close when their client next asks
 * (each request checks the session).
 * @returns the endings to give `SessionIssuer`, and a function that stops listening
 */
export function relaySessionEndings(channels: RedisChannels): { endings: SessionEndings; stop: () => void } {
  const endings = new SessionEndings((sessionId, why) => channels.publish(SESSION_ENDINGS_CHANNEL, { sessionId, why }));
  const stop = channels.subscribe(SESSION_ENDINGS_CHANNEL, sessionEndingSchema, ({ sessionId, why }) =>
    endings.endedElsewhere(sessionId, why),
  );
  return { endings, stop };
}

/**
 * Closing a peer's signaling socket (a removed camera) on whichever instance
 * holds it: `local` closes it here, and the others are told through Redis
 * channel `peerwatch:peer-closing` to close theirs. A socket on an instance
 * cut off from Redis meanwhile is not closed (its device's credential is
 * refused everywhere already, so it opens no new one).
 * @returns the closer to use instead of `local`, and a function that stops listening
 */
export function relayPeerClosing(channels: RedisChannels, local: PeerCloser): { peers: PeerCloser; stop: () => void } {
  const stop = channels.subscribe(PEER_CLOSING_CHANNEL, peerClosingSchema, ({ peerId }) => local.closePeer(peerId));
  const peers: PeerCloser = {
    closePeer(peerId) {
      local.closePeer(peerId);
      channels.publish(PEER_CLOSING_CHANNEL, { peerId });
    },
  };
  return { peers, stop };
}
