import type { Request, RequestHandler } from 'express';
import type { Store } from '../store/store.js';
import { seenFrom, type AuditLog } from '../audit/audit-log.js';
import type { EventHub } from '../events/event-hub.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import { ApiError, notFound } from '../http/errors.js';
import { requestOrigin } from '../http/request-origin.js';
import type { ContractRouter } from '../http/contract-router.js';
import { hashToken, newId, newSecretToken } from '../util/ids.js';
import { toDevice } from './device-view.js';

/**
 * `/api/pairings`: one-time pairing tokens that turn a browser into one of the
 * household's cameras.
 *
 * - `POST /` (user): a token of 256 random bits, stored only as its SHA-256,
 *   valid for `ttlMs`, and the URL `<origin>/pair?server=<instance id>#<token>`
 *   a QR code carries (the fragment never reaches a server log). The origin is
 *   the request's, except that a viewer on plain HTTP gets the LAN HTTPS
 *   address, because a phone opening the link needs HTTPS for its camera; the
 *   instance id lets a camera that reached this server by another address tell
 *   that the code is still its server's.
 * - `POST /claim` (no credential; rate-limited by `claimLimiter`): exchanges
 *   the token for a device credential once. Reuse or expiry → 410, unknown → 404.
 *   The household's viewers are told at once (`pairing-claimed`).
 */
export function pairingRoutes(
  api: ContractRouter,
  deps: {
    store: Store;
    hub: EventHub;
    presence: PresenceTracker;
    ttlMs: number;
    /** This server's instance id (`Config.instanceId`), carried by every pairing link. */
    instanceId: string;
    claimLimiter: RequestHandler;
    /** The HTTPS base URL phones on the LAN can open (`https://<LAN IP>:<port>/`), or null. */
    phoneUrl: () => string | null;
    audit: AuditLog;
  },
): void {
  const { store, hub, presence } = deps;

  api.handle('POST /api/pairings', async ({ principal: { householdId }, body: { name }, reply }, req) => {
    const token = newSecretToken();
    const now = Date.now();
    const pairing = {
      id: newId(),
      householdId,
      tokenHash: hashToken(token),
      name: name ?? null,
      createdAtMs: now,
      expiresAtMs: now + deps.ttlMs,
      claimedAtMs: null,
      deviceId: null,
    };
    await store.pairings.deleteExpired(now);
    await store.pairings.insert(pairing);
    reply(201, {
      id: pairing.id,
      token,
      url: pairingUrl(linkOrigin(req, deps.phoneUrl()), deps.instanceId, token),
      expiresAtMs: pairing.expiresAtMs,
    });
  });

  api.handle(
    'POST /api/pairings/claim',
    async ({ body: { token, name }, reply }, req) => {
      const deviceToken = newSecretToken();
      const now = Date.now();
      const outcome = await store.pairings.claim(hashToken(token), now, {
        id: newId(),
        name: name ?? null,
        tokenHash: hashToken(deviceToken),
        createdAtMs: now,
        lastSeenAtMs: null,
      });
      if (outcome.kind === 'not-found') throw notFound('Pairing code');
      if (outcome.kind === 'already-claimed') {
        throw new ApiError(410, 'pairing_used', 'This pairing code was used already; show a new one on the viewer.');
      }
      if (outcome.kind === 'expired') {
        throw new ApiError(410, 'pairing_expired', 'This pairing code has expired; show a new one on the viewer.');
      }
      const device = toDevice(outcome.device, presence);
      await deps.audit.record('camera-paired', { kind: 'device', deviceId: device.id, householdId: outcome.device.householdId }, seenFrom(req), { details: { pairingId: outcome.pairing.id } });
      hub.publish(outcome.device.householdId, { type: 'pairing-claimed', pairingId: outcome.pairing.id, device });
      reply(201, { device, deviceToken });
    },
    { before: [deps.claimLimiter] },
  );
}

/** `<origin>/pair?server=<instanceId>#<token>`: the link a pairing's QR code carries. */
function pairingUrl(origin: string, instanceId: string, token: string): string {
  return `${origin}/pair?server=${encodeURIComponent(instanceId)}#${token}`;
}

/** The origin for a pairing link: the request's own, or the phones' HTTPS URL for a plain-HTTP request. */
function linkOrigin(req: Request, phoneUrl: string | null): string {
  if (req.protocol === 'http' && phoneUrl?.startsWith('https://')) return new URL(phoneUrl).origin;
  return requestOrigin(req);
}
