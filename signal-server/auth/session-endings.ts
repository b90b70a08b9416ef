/**
 * Tells the holders of a sign-in session's long-lived connections (event
 * streams, signaling sockets) when the session ends, so they close at once
 * rather than when the client next asks. In-process; with several server
 * instances this would sit on the shared bus the EventHub uses.
 */
export class SessionEndings {
  /** Session id → what to do when it ends; a session's entry goes when its last listener does. */
  private readonly listeners = new Map<string, Set<() => void>>();

  /**
   * Calls `listener` once when session `sessionId` ends.
   * @returns a function that removes the listener (call it when the connection closes).
   */
  onEnd(sessionId: string, listener: () => void): () => void {
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

  /** Session `sessionId` has ended: calls (and forgets) its listeners. */
  ended(sessionId: string): void {
    const set = this.listeners.get(sessionId);
    this.listeners.delete(sessionId);
    for (const listener of set ?? []) listener();
  }
}
