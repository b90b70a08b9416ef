import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { until } from 'lit/directives/until.js';
import type { Device, RecordingRemovedEvent, RecordingSummary } from '../../../protocol/index.js';
import type { ApiClient } from '../../api/api-client.js';
import { messageOf } from '../../app/error-message.js';
import { cardGridStyles, panelStyles, uiStyles } from '../../app/ui-styles.js';
import { formatMegabytes } from '../../shared/format-bytes.js';
import { log } from '../../shared/logger.js';
import { WhileConnected } from '../../shared/while-connected.js';
import { forgetPoster, posterUrl, trimPosterCache } from './poster-frame.js';
import type { RecordingStates } from './recording-states.js';
import { formatDateTime, formatDuration } from './time-format.js';
import './recording-player.js';

/** How often the list is reloaded while open (recordings grow and new ones begin), ms. */
const REFRESH_MS = 5_000;

/**
 * What went wrong, shown above the list:
 * - `list-failed`: the list could not be loaded (`reason`: why); cleared by the next load that works
 * - `playing-removed`: the recording being played was removed (retention)
 */
type ViewProblem = { kind: 'list-failed'; reason: string } | { kind: 'playing-removed' };

/**
 * One camera's recordings (`GET /api/recordings?deviceId=`), newest first:
 * poster frame, start time, duration, size and "complete" or "recording…",
 * each with a "Play" button that opens it in the player above the list.
 * Reloaded every `REFRESH_MS`; opening it trims the poster cache
 * (`trimPosterCache`); a `recording-removed` event removes an item at
 * once. Fires `close` when the person closes it.
 */
@customElement('pw-recordings-view')
export class PwRecordingsView extends LitElement {
  static override styles = [
    uiStyles,
    panelStyles,
    cardGridStyles,
    css`
      li {
        display: grid;
        gap: 0.5rem;
        padding: 0.75rem;
      }
      li.playing {
        outline: 3px solid var(--pw-accent);
      }
      .poster {
        aspect-ratio: 4 / 3;
        border-radius: 10px;
        background: #0b1015;
        display: grid;
        place-items: center;
        color: #c7d0d9;
        font-size: 0.85rem;
        overflow: hidden;
      }
      .poster img {
        width: 100%;
        height: 100%;
        object-fit: cover;
        display: block;
      }
      .growing {
        color: var(--pw-live);
        font-weight: 650;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) device!: Device;
  @property({ attribute: false }) states!: RecordingStates;

  @state() private recordings: RecordingSummary[] | null = null;
  @state() private playing: string | null = null;
  @state() private problem: ViewProblem | null = null;

  private timer: ReturnType<typeof setInterval> | undefined;
  /** The poster shown for each of `posterUrl`'s (page-cached) promises (see `poster`). */
  private readonly posters = new WeakMap<Promise<string>, Promise<TemplateResult>>();

  constructor() {
    super();
    new WhileConnected(this, () => this.states.on('recording-removed', (event) => this.removed(event)));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void trimPosterCache().catch((error: unknown) => log.warn('recordings: the poster cache could not be trimmed', error));
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  private removed({ recordingId }: RecordingRemovedEvent): void {
    void forgetPoster(recordingId).catch((error: unknown) =>
      log.warn('recordings: the poster of a removed recording could not be forgotten', recordingId, error),
    );
    if (this.recordings) this.recordings = this.recordings.filter((r) => r.id !== recordingId);
    if (this.playing === recordingId) {
      this.playing = null;
      this.problem = { kind: 'playing-removed' };
    }
  }

  private async refresh(): Promise<void> {
    try {
      this.recordings = await this.api.listRecordings(this.device.id);
      if (this.problem?.kind === 'list-failed') this.problem = null;
    } catch (error) {
      this.problem = { kind: 'list-failed', reason: messageOf(error, String(error)) };
    }
  }

  override render() {
    const name = this.device.name;
    const playing = this.recordings?.find((r) => r.id === this.playing);
    return html`<section class="card" aria-labelledby="recordings-title">
      <div class="head">
        <h2 id="recordings-title">Recordings · ${name}</h2>
        <button @click=${() => this.dispatchEvent(new Event('close'))}>Close recordings</button>
      </div>
      ${this.problem ? html`<p class="error" role="alert">${problemText(this.problem)}</p>` : nothing}
      ${playing
        ? html`<pw-recording-player .api=${this.api} .recording=${playing} .cameraName=${name}></pw-recording-player>`
        : nothing}
      ${this.renderList()}
    </section>`;
  }

  private renderList() {
    if (this.recordings === null) return html`<p class="muted" role="status">Loading recordings…</p>`;
    if (this.recordings.length === 0) {
      return html`<p class="muted">No recordings yet. Turn on “Record” to record this camera.</p>`;
    }
    return html`<ul aria-label="Recordings of ${this.device.name}">
      ${repeat(
        this.recordings,
        (r) => r.id,
        (r) => this.renderItem(r),
      )}
    </ul>`;
  }

  private renderItem(recording: RecordingSummary) {
    const start = formatDateTime(recording.startedAtMs);
    return html`<li class="card ${recording.id === this.playing ? 'playing' : ''}">
      <div class="poster">
        ${until(this.poster(recording, start), html`<span>Loading preview…</span>`)}
      </div>
      <strong>${start}</strong>
      <div class="facts">
        <span>${formatDuration(recording.durationMs)}</span>
        <span>${formatMegabytes(recording.sizeBytes)}</span>
        ${recording.complete ? html`<span>complete</span>` : html`<span class="growing">recording…</span>`}
      </div>
      <button class="primary" aria-label="Play recording ${start}" @click=${() => (this.playing = recording.id)}>
        Play
      </button>
    </li>`;
  }

  /**
   * The recording's poster (its image, or "No preview yet"), one per
   * `posterUrl` promise, so a refresh does not redraw it; `posterUrl` drops a
   * failed one, so it is tried again on the next render.
   */
  private poster(recording: RecordingSummary, start: string): Promise<TemplateResult> {
    const url = posterUrl(this.api, recording);
    let poster = this.posters.get(url);
    if (!poster) {
      poster = url.then(
        (src) => html`<img src=${src} alt="First frame of the recording of ${start}" />`,
        () => html`<span>No preview yet</span>`,
      );
      this.posters.set(url, poster);
    }
    return poster;
  }
}

function problemText(problem: ViewProblem): string {
  switch (problem.kind) {
    case 'list-failed':
      return `The recordings could not be loaded: ${problem.reason}`;
    case 'playing-removed':
      return 'The recording being played was removed (retention).';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-recordings-view': PwRecordingsView;
  }
}
