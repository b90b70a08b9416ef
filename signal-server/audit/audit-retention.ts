import type { Logger } from 'pino';
import type { Store } from '../store/store.js';

/** How often old audit rows are deleted, ms (hourly). */
export const AUDIT_SWEEP_INTERVAL_MS = 3_600_000;

/**
 * Keeps the audit log to its retention period: deletes rows older than
 * `retentionMs` once at start and then every `AUDIT_SWEEP_INTERVAL_MS`.
 */
export class AuditRetention {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly retentionMs: number,
    private readonly logger: Logger,
  ) {}

  /** Deletes the rows older than the retention period now. @returns how many were deleted. */
  async sweep(): Promise<number> {
    const deleted = await this.store.audit.deleteOlderThan(Date.now() - this.retentionMs);
    if (deleted > 0) this.logger.info({ deleted }, 'audit: old rows deleted');
    return deleted;
  }

  start(): void {
    const run = () => {
      this.sweep().catch((error: unknown) => this.logger.error({ err: error }, 'audit: old rows could not be deleted'));
    };
    run();
    this.timer = setInterval(run, AUDIT_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
