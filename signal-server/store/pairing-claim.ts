import type { ClaimOutcome, NewDevice, PairingRecord } from './store.js';

/**
 * What claiming `pairing` (as read inside the claim's transaction; undefined
 * when no pairing has the token) at `nowMs` does, for every store: refused
 * when it is claimed already or expired, else `claimed` with the device to
 * insert (in the pairing's household; with no name of its own it takes the
 * pairing's name, else "Camera") and the pairing as it is to be marked.
 */
export function claimOutcome(pairing: PairingRecord | undefined, nowMs: number, device: NewDevice): ClaimOutcome {
  if (!pairing) return { kind: 'not-found' };
  if (pairing.claimedAtMs !== null) return { kind: 'already-claimed' };
  if (pairing.expiresAtMs <= nowMs) return { kind: 'expired' };
  return {
    kind: 'claimed',
    pairing: { ...pairing, claimedAtMs: nowMs, deviceId: device.id },
    device: { ...device, householdId: pairing.householdId, name: device.name ?? pairing.name ?? 'Camera' },
  };
}
