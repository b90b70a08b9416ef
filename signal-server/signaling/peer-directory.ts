import type { RedisClientType } from 'redis';
import { withinMs } from './within-ms.js';

/** The Redis key that says which instance holds the socket of `peerId` (value: its instance id). */
export const peerKey = (peerId: string): string => `signal:peer:${peerId}`;

/**
 * Claims `KEYS[1]` for instance `ARGV[1]` for `ARGV[2]` ms, or refreshes its
 * TTL if that instance holds it already (one script, so no other instance can
 * take the key between the check and the write). Returns 1 when the instance
 * holds the key now, else the id of the instance that does.
 */
const CLAIM_SCRIPT = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder then return holder end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** Gives `KEYS[1]` to instance `ARGV[1]` for `ARGV[2]` ms only while instance `ARGV[3]` holds it. Returns 1 when it did. */
const TAKE_OVER_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** Outcome of `PeerDirectory.claim`: this instance holds the peer id now, or `holder` does. */
export type Claim = { kind: 'held' } | { kind: 'taken'; holder: string };

/** Deletes `KEYS[1]` only while instance `ARGV[1]` holds it (a lapsed claim taken over by another instance stays theirs). */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Which instance holds the signaling socket of each peer id, in Redis: one
 * key per peer id (`signal:peer:<peerId>` → instance id) with a TTL that the
 * socket's heartbeats refresh and that its close releases. The same key
 * answers "where do I forward a message for this peer?" and "may this
 * instance take this peer id?" (PeerJS protocol: a peer id held elsewhere is
 * answered ID-TAKEN). An instance that dies leaves its keys to expire within
 * one TTL (or to be taken over, see `takeOver`).
 *
 * Every call waits at most `waitMs` for Redis.
 */
export class PeerDirectory {
  constructor(
    private readonly redis: RedisClientType,
    private readonly instanceId: string,
    /** Lifetime of a claim without a heartbeat, ms (the signaling alive timeout). */
    private readonly ttlMs: number,
    private readonly waitMs: number,
  ) {}

  /**
   * Claims `peerId` for this instance, or refreshes this instance's claim.
   * @throws Error when Redis fails or does not answer within `waitMs`
   */
  async claim(peerId: string): Promise<Claim> {
    const held = await withinMs(
      this.redis.eval(CLAIM_SCRIPT, { keys: [peerKey(peerId)], arguments: [this.instanceId, String(this.ttlMs)] }),
      this.waitMs,
      'peer id claim',
    );
    return typeof held === 'string' ? { kind: 'taken', holder: held } : { kind: 'held' };
  }

  /**
   * Takes `peerId` over from instance `holder` (one that is gone), unless another instance got it first.
   * @returns true when this instance holds the peer id now
   * @throws Error when Redis fails or does not answer within `waitMs`
   */
  async takeOver(peerId: string, holder: string): Promise<boolean> {
    const taken = await withinMs(
      this.redis.eval(TAKE_OVER_SCRIPT, { keys: [peerKey(peerId)], arguments: [this.instanceId, String(this.ttlMs), holder] }),
      this.waitMs,
      'peer id take-over',
    );
    return taken === 1;
  }

  /**
   * Gives up this instance's claim on `peerId` (not another instance's).
   * @throws Error when Redis fails or does not answer within `waitMs`
   */
  async release(peerId: string): Promise<void> {
    await withinMs(
      this.redis.eval(RELEASE_SCRIPT, { keys: [peerKey(peerId)], arguments: [this.instanceId] }),
      this.waitMs,
      'peer id release',
    );
  }

  /**
   * @returns the id of the instance that holds `peerId`, or null when none does
   * @throws Error when Redis fails or does not answer within `waitMs`
   */
  locate(peerId: string): Promise<string | null> {
    return withinMs(this.redis.get(peerKey(peerId)), this.waitMs, 'peer lookup');
  }
}
