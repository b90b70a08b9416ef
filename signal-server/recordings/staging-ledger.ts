/**
 * The per-recording bookkeeping of a chunk store (see `ChunkStore`): how
 * many chunks of a recording are staged and not yet committed or discarded,
 * and the deletion of a recording under way, so that a staging that begins
 * during a deletion waits for it and an orphan is not deleted while one of
 * its chunks is being staged. In memory, per process.
 */
export class StagingLedger {
  private readonly staged = new Map<string, number>();
  private readonly deletions = new Map<string, Promise<void>>();

  /** Counts a chunk of `recordingId` as staged. @returns what ends that (idempotent: counts once) */
  begin(recordingId: string): () => void {
    this.staged.set(recordingId, (this.staged.get(recordingId) ?? 0) + 1);
    let settled = false;
    return () => {
      if (settled) return;
      settled = true;
      const left = this.staged.get(recordingId)! - 1;
      if (left > 0) this.staged.set(recordingId, left);
      else this.staged.delete(recordingId);
    };
  }

  /** Whether a chunk of `recordingId` is staged now. */
  isStaging(recordingId: string): boolean {
    return this.staged.has(recordingId);
  }

  /** Resolves once a deletion of `recordingId` under way has ended; its failure is its deleter's to report. */
  async afterDeletion(recordingId: string): Promise<void> {
    await this.deletions.get(recordingId)?.catch(() => undefined);
  }

  /** Runs `removal` as the deletion of `recordingId`. @throws what `removal` throws */
  async deleting(recordingId: string, removal: Promise<void>): Promise<void> {
    this.deletions.set(recordingId, removal);
    try {
      await removal;
    } finally {
      if (this.deletions.get(recordingId) === removal) this.deletions.delete(recordingId);
    }
  }
}
