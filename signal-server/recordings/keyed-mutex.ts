/**
 * Runs async tasks one at a time per key (in arrival order), and tasks of
 * different keys concurrently. In-process only: it orders one server's work
 * on its own files (staging, commit, deletion); what several servers share is
 * kept consistent by the store (idempotent chunk rows, `StoreLocks` for sweeps).
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` once every earlier task of `key` has settled. @returns what `task` returns or throws. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
