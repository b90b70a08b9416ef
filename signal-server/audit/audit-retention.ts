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

  /**
   * Deletes the rows older than the retention period now, unless another
   * server sharing the store does so at this moment (`StoreLocks.trySweep`).
   * @returns how many were deleted (0 when skipped).
   */
  async sweep(): Promise<number> {
    const outcome = await this.store.locks.trySweep('audit-retention', () =>
      this.store.audit.deleteOlderThan(Date.now() - this.retentionMs),
    );
    if (outcome.kind === 'busy') {
      this.logger.debug('audit: another server is deleting old rows');
      return 0;
    }
    if (outcome.value > 0) this.logger.info({ deleted: outcome.value }, 'audit: old rows deleted');
    return outcome.value;
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
