import type { AuthSession, User } from '../../protocol/index.js';
import type { SessionClient, SessionRecord, Store, UserRecord } from '../store/store.js';
import { hashToken, newId, newSecretToken } from '../util/ids.js';
import { unauthorized } from '../http/errors.js';
import type { JwtIssuer } from './jwt.js';
import { SessionEndings, type SessionEnd } from './session-endings.js';

/**
 * Issues sign-in sessions: a short-lived access JWT plus a rotating refresh
 * token. Refresh tokens follow the rotation-with-reuse-detection scheme of
 * OAuth 2.0 Security BCP (RFC 9700 §4.14.2): each use spends the token and
 * issues a new one in the same family; presenting a spent token revokes the
 * whole family. A session is one family (its id is the family id); access
 * tokens carry it (`sid`), so ending the session (sign-out, reuse) ends them
 * at once too (`isActive`), and its open event streams and signaling
 * sockets are told (`endings`).
 */
export class SessionIssuer {
  /**
   * @param endings where connections of a session learn that it ended (one
   *   that goes across instances with several, see `relaySessionEndings`)
   */
  constructor(
    private readonly store: Store,
    private readonly jwt: JwtIssuer,
    private readonly accessTtlMs: number,
    private readonly refreshTtlMs: number,
    readonly endings: SessionEndings = new SessionEndings(),
  ) {}

  /** Starts a new session (new refresh-token family) for a user signing in from `client`. */
  async start(user: UserRecord, client: SessionClient): Promise<AuthSession> {
    const sessionId = newId();
    const now = Date.now();
    await this.store.sessions.insert({ id: sessionId, userId: user.id, endedAtMs: null, createdAtMs: now, lastUsedAtMs: now, ...client });
    return this.issue(user, sessionId);
  }

  /**
   * The user's sign-in sessions that can still refresh (not ended, used
   * within the refresh-token lifetime; those of unknown age are listed),
   * most recently used first. API tokens are not among them.
   */
  async listSignIns(userId: string): Promise<SessionRecord[]> {
    const oldest = Date.now() - this.refreshTtlMs;
    return (await this.store.sessions.listSignInsOfUser(userId)).filter((s) => s.lastUsedAtMs === null || s.lastUsedAtMs > oldest);
  }

  /** Ends every sign-in session of user `userId` but `keepId` (API tokens go on) and closes their connections. */
  async endOtherSignIns(userId: string, keepId: string): Promise<void> {
    for (const sessionId of await this.store.sessions.endOtherSignIns(userId, keepId, Date.now())) this.endings.ended(sessionId);
  }

  /** True while session `sessionId` of user `userId` has not ended (one indexed lookup). */
  async isActive(sessionId: string, userId: string): Promise<boolean> {
    return (await this.activeUser(sessionId, userId)) !== undefined;
  }

  /**
   * The user of session `sessionId` as they are now (household, role,
   * cameras), while the session has not ended and is `userId`'s; else undefined.
   */
  async activeUser(sessionId: string, userId: string): Promise<UserRecord | undefined> {
    const user = await this.store.sessions.findActiveUser(sessionId);
    return user?.id === userId ? user : undefined;
  }

  /**
   * Ends every session of user `userId` (refresh tokens revoked, access
   * tokens refused) and closes their connections for `why`.
   */
  async endAllOfUser(userId: string, why: SessionEnd): Promise<void> {
    for (const sessionId of await this.store.sessions.endAllOfUser(userId, Date.now())) this.endings.ended(sessionId, why);
  }

  /** Closes the connections of every session of user `userId` (their role or cameras changed); the sessions go on. */
  async accessChanged(userId: string): Promise<void> {
    for (const sessionId of await this.store.sessions.activeIdsOfUser(userId)) this.endings.ended(sessionId, 'access-changed');
  }

  /**
   * Spends a refresh token and issues the next session of its family, noting its use from `client`.
   * @throws ApiError 401 when the token is unknown, expired, revoked or reused (reuse revokes the family).
   */
  async refresh(refreshToken: string, client: SessionClient): Promise<AuthSession> {
    const now = Date.now();
    const record = await this.store.refreshTokens.findByHash(hashToken(refreshToken));
    if (!record || record.revokedAtMs !== null || record.expiresAtMs <= now) {
      throw unauthorized('The session has ended; sign in again.');
    }
    const spent = record.usedAtMs === null && (await this.store.refreshTokens.markUsed(record.id, now));
    if (!spent) {
      await this.endSession(record.familyId, now);
      throw unauthorized('This session was used elsewhere and has been ended; sign in again.');
    }
    const user = await this.store.users.findById(record.userId);
    if (!user) throw unauthorized('The account no longer exists.');
    await this.store.sessions.touch(record.familyId, now, client);
    return this.issue(user, record.familyId);
  }

  /** Ends the session a refresh token belongs to, with its access tokens. Unknown tokens are ignored. */
  async end(refreshToken: string): Promise<void> {
    const record = await this.store.refreshTokens.findByHash(hashToken(refreshToken));
    if (record) await this.endSession(record.familyId, Date.now());
  }

  /** Ends session `sessionId` (e.g. an API token's) and closes its connections. */
  async endSessionOf(sessionId: string): Promise<void> {
    await this.endSession(sessionId, Date.now());
  }

  private async endSession(sessionId: string, atMs: number): Promise<void> {
    await this.store.sessions.end(sessionId, atMs);
    this.endings.ended(sessionId);
  }

  /** Issues the next access and refresh token of session `familyId`. */
  private async issue(user: UserRecord, familyId: string): Promise<AuthSession> {
    const refreshToken = newSecretToken();
    await this.store.refreshTokens.insert({
      id: newId(),
      userId: user.id,
      familyId,
      tokenHash: hashToken(refreshToken),
      expiresAtMs: Date.now() + this.refreshTtlMs,
      usedAtMs: null,
      revokedAtMs: null,
    });
    const access = this.jwt.sign(
      { typ: 'access', sub: user.id, hid: user.householdId, sid: familyId },
      this.accessTtlMs,
    );
    return {
      user: toUser(user),
      accessToken: access.token,
      accessTokenExpiresAtMs: access.expiresAtMs,
      refreshToken,
    };
  }
}

/** The public view of a user record. */
export function toUser(user: UserRecord): User {
  return { id: user.id, email: user.email, createdAtMs: user.createdAtMs };
}
