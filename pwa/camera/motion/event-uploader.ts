import { ApiRequestError, type ApiClient } from '../../api/api-client.js';
import { Backoff } from '../../shared/backoff.js';
import type { QueuedEventReport } from '../../shared/event-records.js';
import { log } from '../../shared/logger.js';
import type { EventOutbox } from './event-outbox.js';
import { changedOrOnline } from '../../shared/changed-or-online.js';

/** First retry delay and cap of the retry backoff, ms. */
const RETRY_INITIAL_MS = 500;
const RETRY_MAX_MS = 8_000;

/** What one send leaves to do: next report, wait and retry, or stop for good (the credential no longer works). */
type Outcome = 'next' | 'retry' | 'stop';

/**
 * Sends the `EventOutbox` to the server, one report at a time in the order
 * they were made (an event before its images):
 * - 200/201: the report leaves the outbox;
 * - no answer, 5xx, 429, 400 `upload_aborted`: retried with exponential
 *   backoff (500 ms doubling to 8 s, at once on `online`);
 * - 401: the camera's credential no longer works; the uploader stops;
 * - any other 4xx (a bad body, 404 an event not this camera's, 409
 *   `image_conflict`, 413): cannot succeed, so it is logged and dropped.
 *
 * Runs beside live view and recording and never waits on them. The outbox
 * lives in IndexedDB, so a new uploader after a reload resumes where the last
 * one stopped.
 */
export class EventUploader {
  private controller: AbortController | null = null;

  constructor(
    private readonly api: ApiClient,
    private readonly deviceToken: string,
    private readonly outbox: EventOutbox,
  ) {}

  start(): void {
    if (this.controller) return;
    this.controller = new AbortController();
    void this.run(this.controller.signal);
  }

  stop(): void {
    this.controller?.abort();
    this.controller = null;
  }

  private async run(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(RETRY_INITIAL_MS, RETRY_MAX_MS);
    let changed = false;
    const offChange = this.outbox.on('change', () => (changed = true), signal);
    try {
      while (!signal.aborted) {
        changed = false;
        let report: QueuedEventReport | null;
        try {
          report = await this.outbox.next();
        } catch (error) {
          log.error('events: the outbox could not be read', error);
          await backoff.wait(signal);
          continue;
        }
        if (signal.aborted) return;
        if (!report) {
          if (!changed) await changedOrOnline(this.outbox, signal);
          continue;
        }
        const outcome = await this.send(report, signal);
        if (outcome === 'stop') return;
        if (outcome === 'retry') await backoff.wait(signal);
        else backoff.reset();
      }
    } finally {
      offChange();
    }
  }

  /** Sends one report and removes it once the server confirmed it (or refused it for good). */
  private async send(report: QueuedEventReport, signal: AbortSignal): Promise<Outcome> {
    try {
      if (report.kind === 'event') await this.api.putEvent(this.deviceToken, report.eventId, report.event, signal);
      else await this.api.uploadEventImage(this.deviceToken, report.eventId, report.image, report.blob, signal);
    } catch (error) {
      if (signal.aborted) return 'retry';
      if (!(error instanceof ApiRequestError)) {
        log.warn('events: sending failed; retrying', error);
        return 'retry';
      }
      switch (failureOutcome(error)) {
        case 'stop':
          log.warn('events: the server no longer accepts this camera; event uploads stop');
          return 'stop';
        case 'retry':
          log.debug(`events: ${describe(report)} not sent yet (${error.status} ${error.code}); retrying`);
          return 'retry';
        case 'drop':
          log.error(`events: the server refused ${describe(report)} (${error.status} ${error.code}: ${error.message}); dropped`);
      }
    }
    return this.remove(report);
  }

  private async remove(report: QueuedEventReport): Promise<Outcome> {
    try {
      await this.outbox.remove(report.seq);
      return 'next';
    } catch (error) {
      // It stays queued and is sent again: the server takes the same report twice.
      log.error('events: a sent report could not be removed from the outbox', error);
      return 'retry';
    }
  }

}

/**
 * What a failed send leads to: `retry` for a passing problem (no answer,
 * 5xx, 429, 400 `upload_aborted`), `stop` for 401 (the credential no longer
 * works), `drop` for every other refusal (a 4xx that cannot succeed).
 */
export function failureOutcome(error: ApiRequestError): 'retry' | 'stop' | 'drop' {
  if (error.status === 401) return 'stop';
  const passing =
    error.status === 0 ||
    error.status === 429 ||
    error.status >= 500 ||
    (error.status === 400 && error.code === 'upload_aborted');
  return passing ? 'retry' : 'drop';
}

/** A report as a log line names it, e.g. `event abc…` or `the snapshot of event abc…`. */
function describe(report: QueuedEventReport): string {
  return report.kind === 'event' ? `event ${report.eventId}` : `the ${report.image} of event ${report.eventId}`;
}
