/**
 * Why a session's long-lived connections must close: it was signed out (or
 * its refresh token reused), its person was removed from the household, or
 * their role or cameras changed (the session goes on; its connections reopen
 * with what the person may now see).
 */
export type SessionEnd = (typeof SESSION_ENDS)[number];

/** Every `SessionEnd`. */
export const SESSION_ENDS = ['signed-out', 'removed', 'access-changed'] as const;

/**
 * Tells the holders of a sign-in session's long-lived connections (event
 * streams, signaling sockets) when they must close (`SessionEnd`), so they
 * close at once rather than when the client next asks. With several server
 * instances a session's connections may be held by any of them: `broadcast`
 * then carries each ending to the others (see `relaySessionEndings`), which
 * hand it to their listeners with `endedElsewhere`.
 */
export class SessionEndings {
  /** Session id → what to do when it ends; a session's entry goes when its last listener does. */
  private readonly listeners = new Map<string, Set<(why: SessionEnd) => void>>();

  /** @param broadcast tells the other instances of every ending (none: one instance) */
  constructor(private readonly broadcast: ((sessionId: string, why: SessionEnd) => void) | null = null) {}

  /**
   * Calls `listener` once when the connections of session `sessionId` must close.
   * @returns a function that removes the listener (call it when the connection closes).
   */
  onEnd(sessionId: string, listener: (why: SessionEnd) => void): () => void {
    let set = this.listeners.get(sessionId);
    if (!set) {
      set = new Set();
      this.listeners.set(sessionId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(sessionId) === set) this.listeners.delete(sessionId);
    };
  }

  /** The connections of session `sessionId` must close, for `why`: calls (and forgets) its listeners. */
  ended(sessionId: string, why: SessionEnd = 'signed-out'): void {
    this.endedElsewhere(sessionId, why);
    this.broadcast?.(sessionId, why);
  }

  /** Another instance ended session `sessionId`: calls (and forgets) this instance's listeners of it, and tells no one else. */
  endedElsewhere(sessionId: string, why: SessionEnd): void {
    const set = this.listeners.get(sessionId);
    this.listeners.delete(sessionId);
    for (const listener of set ?? []) listener(why);
  }
}
