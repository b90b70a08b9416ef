import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { switchStyles } from '../../app/switch-styles.js';
import { uiStyles } from '../../app/ui-styles.js';
import { formatMegabytes } from '../../shared/format-bytes.js';
import { WhileConnected } from '../../shared/while-connected.js';
import type { CameraRecording, RecordingActivity, RecordingTrouble } from './camera-recording.js';
import type { QueueSummary } from './chunk-queue.js';
import type { RetryCause, UploaderStatus } from './chunk-uploader.js';
import { UNSUPPORTED_FORMAT_MESSAGE } from './recording-format.js';

/** Shown while storage is low. */
const STORAGE_LOW_MESSAGE =
  'Recording stopped: this device is almost out of storage. Footage not yet uploaded is kept.';

/**
 * The camera's recording controls: the "Record" switch (role switch), what the
 * camera does ("Recording" / "Not recording"), why it cannot record (format,
 * storage), and the upload queue ("N chunks / X MB waiting", or "All
 * recordings uploaded" once the queue has been read and is empty).
 */
@customElement('pw-recording-panel')
export class PwRecordingPanel extends LitElement {
  static override styles = [
    uiStyles,
    switchStyles,
    css`
      section {
        display: grid;
        gap: 0.75rem;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1.25rem;
      }
      .state {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        font-weight: 650;
      }
      .state::before {
        content: '';
        width: 0.65rem;
        height: 0.65rem;
        border-radius: 50%;
        background: var(--pw-muted);
      }
      .state.on::before {
        background: var(--pw-live);
      }
      .queue {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1.25rem;
        color: var(--pw-muted);
      }
    `,
  ];

  @property({ attribute: false }) recording!: CameraRecording;

  constructor() {
    super();
    new WhileConnected(this, () => this.recording.on('change', () => this.requestUpdate()));
  }

  private toggle(event: Event): void {
    void this.recording.setEnabled((event.target as HTMLInputElement).checked);
  }

  override render() {
    const r = this.recording;
    const { wish, queueSummary: queue } = r;
    const canRecord = r.recorder !== null;
    return html`<section class="card" aria-label="Recording">
      <div class="head">
        <label class="switch">
          <input
            type="checkbox"
            role="switch"
            .checked=${wish.enabled}
            ?disabled=${!r.ready || !canRecord}
            @change=${this.toggle}
          />
          <span>Record</span>
        </label>
        <span class="state ${r.recording ? 'on' : ''}" role="status">${activityText(r.activity)}</span>
      </div>
      ${wish.unsynced
        ? html`<p class="muted">The server learns of this change when it can be reached again.</p>`
        : nothing}
      ${r.trouble ? html`<p class="error" role="alert">${troubleText(r.trouble)}</p>` : nothing}
      ${r.storage.low && wish.enabled ? html`<p class="error" role="alert">${STORAGE_LOW_MESSAGE}</p>` : nothing}
      <div class="queue">
        <span role="status" aria-label="Upload queue">${queueText(queue)}</span>
        ${queue && queue.chunks > 0 ? html`<span>${uploadText(r.uploader.status)}</span>` : nothing}
      </div>
      ${(queue?.problems ?? []).map(
        (p) => html`<p class="error" role="alert">A recording could not be uploaded and stays on this device: ${p.message}</p>`,
      )}
    </section>`;
  }
}

function activityText(activity: RecordingActivity): string {
  switch (activity) {
    case 'recording':
      return 'Recording';
    case 'stopping':
      return 'Stopping…';
    case 'starting':
      return 'Starting…';
    case 'off':
      return 'Not recording';
  }
}

function troubleText(trouble: RecordingTrouble): string {
  switch (trouble.kind) {
    case 'unsupported':
      return UNSUPPORTED_FORMAT_MESSAGE;
    case 'bad-format':
      return trouble.message;
    case 'start-failed':
      return `Recording could not start: ${trouble.reason}.`;
    case 'failed':
      return `Recording stopped: ${trouble.reason ?? 'the recorder failed'}.`;
  }
}

function queueText(queue: QueueSummary | null): string {
  if (!queue) return 'Looking for recordings not yet uploaded…';
  if (queue.chunks === 0) return 'All recordings uploaded';
  return `${queue.chunks} ${queue.chunks === 1 ? 'chunk' : 'chunks'} / ${formatMegabytes(queue.bytes)} waiting`;
}

function uploadText(status: UploaderStatus): string {
  switch (status.kind) {
    case 'uploading':
      return 'Uploading…';
    case 'retrying':
      return `${retryText(status.cause)} Trying again soon.`;
    case 'stopped':
      return 'Uploading is paused.';
    case 'refused':
      return 'The server no longer accepts this camera; recordings stay on this device.';
    case 'idle':
      return '';
  }
}

function retryText(cause: RetryCause): string {
  switch (cause.kind) {
    case 'queue-unreadable':
      return `The recordings on this device cannot be read (${cause.reason}).`;
    case 'unreachable':
      return 'The server cannot be reached.';
    case 'failed':
      return `Uploading failed (${cause.reason}).`;
    case 'server-trouble':
      return cause.message;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-recording-panel': PwRecordingPanel;
  }
}
