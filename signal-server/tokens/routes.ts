import type { ApiToken } from '../../protocol/index.js';
import { seenFrom, type AuditLog } from '../audit/audit-log.js';
import { API_TOKEN_PREFIX } from '../auth/principal.js';
import type { SessionIssuer } from '../auth/sessions.js';
import type { ContractRouter } from '../http/contract-router.js';
import { ApiError, notFound } from '../http/errors.js';
import type { ApiTokenRecord, Store } from '../store/store.js';
import { hashToken, newId, newSecretToken } from '../util/ids.js';

const toApiToken = (token: ApiTokenRecord, createdBy: string): ApiToken => ({
  id: token.id,
  name: token.name,
  scopes: token.scopes,
  createdBy,
  createdAtMs: token.createdAtMs,
  expiresAtMs: token.expiresAtMs,
  lastUsedAtMs: token.lastUsedAtMs,
});

/**
 * `/api/tokens`: the household's long-lived API tokens (owners only). A token
 * is `pwt_` and 256 random bits (base64url), shown once and stored only as
 * its SHA-256; it is a sign-in session of the owner who made it that is never
 * refreshed, so it acts as them (never beyond their role, read on every
 * request) within its scopes, and revoking it, or its owner leaving the
 * household, ends it at once (open streams and signaling sockets included).
 */
export function tokenRoutes(api: ContractRouter, deps: { store: Store; sessions: SessionIssuer; audit: AuditLog }): void {
  const { store, sessions, audit } = deps;

  api.handle('POST /api/tokens', async ({ principal, body, reply }, req) => {
    const now = Date.now();
    if (body.expiresAtMs !== undefined && body.expiresAtMs <= now) {
      throw new ApiError(400, 'invalid_body', 'expiresAtMs: must lie in the future');
    }
    const secret = `${API_TOKEN_PREFIX}${newSecretToken()}`;
    const token: ApiTokenRecord = {
      id: newId(),
      userId: principal.userId,
      name: body.name,
      tokenHash: hashToken(secret),
      scopes: [...new Set(body.scopes)],
      createdAtMs: now,
      expiresAtMs: body.expiresAtMs ?? null,
      lastUsedAtMs: null,
    };
    await store.apiTokens.insert(token);
    await audit.record('token-created', principal, seenFrom(req), { details: { apiTokenId: token.id, name: token.name, scopes: token.scopes } });
    const owner = await store.users.findById(principal.userId);
    reply(201, { ...toApiToken(token, owner?.email ?? ''), token: secret });
  });

  api.handle('GET /api/tokens', async ({ principal, reply }, _req, res) => {
    res.set('Cache-Control', 'no-store');
    reply(200, (await store.apiTokens.listByHousehold(principal.householdId)).map((t) => toApiToken(t, t.email)));
  });

  api.handle('DELETE /api/tokens/:id', async ({ principal, params, reply }, req) => {
    const token = await store.apiTokens.findInHousehold(params.id, principal.householdId);
    if (!token) throw notFound('API token');
    await sessions.endSessionOf(token.id);
    await audit.record('token-revoked', principal, seenFrom(req), { details: { apiTokenId: token.id, name: token.name } });
    reply(204);
  });
}
