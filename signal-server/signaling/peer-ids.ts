/**
 * Peer ids are issued by the server, never chosen by clients. Each starts
 * with the household id, so the signaling relay can tell from the ids alone
 * whether two peers belong to the same household:
 *
 * - camera: `<householdId>-c-<deviceId>`
 * - viewer: `<householdId>-v-<userId>-<random>` (one per open viewer page)
 *
 * All parts are lowercase hex, which fits PeerJS's id rule
 * `^[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*$`.
 */
export type ParsedPeerId =
  | { kind: 'camera'; householdId: string; deviceId: string }
  | { kind: 'viewer'; householdId: string; userId: string };

const HEX = /^[0-9a-f]{1,32}$/;

/** The peer id of a camera. */
export function cameraPeerId(householdId: string, deviceId: string): string {
  return `${householdId}-c-${deviceId}`;
}

/** A viewer peer id for a user; `session` tells apart one user's open pages. */
export function viewerPeerId(householdId: string, userId: string, session: string): string {
  return `${householdId}-v-${userId}-${session}`;
}

/** @returns the parts of a Peerwatch peer id, or undefined for anything else. */
export function parsePeerId(peerId: string): ParsedPeerId | undefined {
  const parts = peerId.split('-');
  if (!parts.every((p) => HEX.test(p) || p === 'c' || p === 'v')) return undefined;
  const [householdId, kind, a, b] = parts;
  if (!householdId || !HEX.test(householdId) || !a || !HEX.test(a)) return undefined;
  if (kind === 'c' && parts.length === 3) return { kind: 'camera', householdId, deviceId: a };
  if (kind === 'v' && parts.length === 4 && b && HEX.test(b)) return { kind: 'viewer', householdId, userId: a };
  return undefined;
}
