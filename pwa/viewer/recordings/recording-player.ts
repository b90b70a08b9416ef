import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type Hls from 'hls.js';
import type { RecordingSummary } from '../../../protocol/index.js';
import type { ApiClient } from '../../api/api-client.js';
import { messageOf } from '../../app/error-message.js';
import { uiStyles } from '../../app/ui-styles.js';
import { formatClock, formatDateTime } from './time-format.js';
import { PlaybackLink } from './playback-link.js';

/**
 * What went wrong with the recording shown:
 * - `stream-failed`: hls.js hit a fatal network error while playing
 * - `unsupported`: the browser plays neither with hls.js (MSE) nor HLS natively
 * - `load-failed`: its playlist link could not be made (`message` is meant for people)
 * - `download-failed`: its download link could not be made (`reason`: why)
 */
type PlayerProblem =
  | { kind: 'stream-failed' }
  | { kind: 'unsupported' }
  | { kind: 'load-failed'; message: string }
  | { kind: 'download-failed'; reason: string };

/**
 * Plays one recording from its HLS playlist (RFC 8216; fMP4 segments) with
 * hls.js, loaded with a dynamic `import()` only here, or with the browser's
 * own HLS where there is no MediaSource (Safari on iPhone). A recording that
 * is still growing has an EVENT playlist: hls.js plays it in live mode and
 * keeps reloading it. Seeking: the video's native controls and a timeline
 * slider in camera time. Playlist and segment requests carry a playback token
 * that `PlaybackLink` renews before it expires. "Download" saves the
 * recording (what is stored so far) as one MP4 file.
 */
@customElement('pw-recording-player')
export class PwRecordingPlayer extends LitElement {
  static override styles = [
    uiStyles,
    css`
      :host {
        display: grid;
        gap: 0.6rem;
        width: 100%;
        max-width: 48rem;
        justify-self: center;
      }
      .stage {
        aspect-ratio: 4 / 3;
      }
      .timeline {
        display: grid;
        grid-template-columns: auto 1fr auto;
        align-items: center;
        gap: 0.75rem;
        font-variant-numeric: tabular-nums;
        font-size: 0.92rem;
      }
      .timeline input {
        min-height: 44px;
        padding: 0;
        border: none;
        background: none;
        accent-color: var(--pw-accent);
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: center;
        gap: 0.5rem;
      }
      .chip {
        padding: 0.1rem 0.6rem;
        border-radius: 999px;
        background: var(--pw-live);
        color: #fff;
        font-weight: 650;
        font-size: 0.85rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) recording!: RecordingSummary;
  @property() cameraName = '';
  /** Where playback starts, s from the recording's start (e.g. an event's pre-roll). */
  @property({ type: Number }) startAtS = 0;

  @state() private positionS = 0;
  @state() private durationS = 0;
  @state() private problem: PlayerProblem | null = null;
  @query('video') private video!: HTMLVideoElement;

  private hls: Hls | null = null;
  private link: PlaybackLink | null = null;
  /** The recording id the player was set up for. */
  private loadedId: string | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unload();
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('recording') && this.recording.id !== this.loadedId) void this.load();
  }

  private async load(): Promise<void> {
    this.unload();
    const id = this.recording.id;
    this.loadedId = id;
    this.problem = null;
    const link = new PlaybackLink(this.api, id);
    this.link = link;
    try {
      const url = await link.playlistUrl();
      const { default: HlsPlayer } = await import('hls.js');
      if (this.loadedId !== id) return;
      if (HlsPlayer.isSupported()) {
        const hls = new HlsPlayer({
          startPosition: this.startAtS,
          xhrSetup: async (xhr, requestUrl) => xhr.open('GET', await link.sign(requestUrl), true),
        });
        hls.on(HlsPlayer.Events.ERROR, (_event, data) => {
          if (!data.fatal) return;
          if (data.type === HlsPlayer.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
          else this.problem = { kind: 'stream-failed' };
        });
        hls.once(HlsPlayer.Events.FRAG_BUFFERED, () => this.skipStartGap());
        hls.loadSource(url);
        hls.attachMedia(this.video);
        this.hls = hls;
      } else if (this.video.canPlayType('application/vnd.apple.mpegurl')) {
        this.video.src = url;
        this.video.addEventListener('loadedmetadata', () => (this.video.currentTime = this.startAtS), { once: true });
      } else {
        this.problem = { kind: 'unsupported' };
      }
    } catch (error) {
      if (this.loadedId === id) {
        this.problem = { kind: 'load-failed', message: messageOf(error, 'The recording could not be loaded.') };
      }
    }
  }

  private unload(): void {
    this.hls?.destroy();
    this.hls = null;
    this.loadedId = null;
    this.video?.removeAttribute('src');
  }

  /**
   * Moves the playhead to the first buffered media when the recording's first
   * fragment starts a little after 0 (its tfdt, e.g. 0.2 s). Chromium plays
   * across such a gap at the start; WebKit stays at HAVE_METADATA there
   * (HTML §4.8.11.7 ready states: no data at the current position), so autoplay never begins.
   */
  private skipStartGap(): void {
    const { buffered } = this.video;
    if (buffered.length === 0) return;
    const start = buffered.start(0);
    if (this.video.currentTime < start) this.video.currentTime = start;
  }

  private onTime(): void {
    this.positionS = this.video.currentTime;
    this.durationS = Number.isFinite(this.video.duration) ? this.video.duration : 0;
  }

  private seek(event: Event): void {
    this.video.currentTime = Number((event.target as HTMLInputElement).value);
  }

  /** Saves the recording through a download link with a fresh token (the browser's download, not a page load). */
  private async download(): Promise<void> {
    try {
      const anchor = document.createElement('a');
      anchor.href = await this.link!.downloadUrl();
      anchor.download = '';
      anchor.click();
    } catch (error) {
      this.problem = { kind: 'download-failed', reason: messageOf(error, String(error)) };
    }
  }

  private goToLatest(): void {
    const latest = this.hls?.liveSyncPosition ?? this.durationS;
    if (latest > 0) this.video.currentTime = latest;
  }

  override render() {
    const { startedAtMs, complete } = this.recording;
    const start = formatDateTime(startedAtMs);
    return html`
      <div class="head">
        <h3>${this.cameraName} · ${start}</h3>
        <div class="row">
          ${complete
            ? nothing
            : html`<span class="chip">Recording…</span>
                <button @click=${this.goToLatest}>Go to latest</button>`}
          <button @click=${this.download}>Download</button>
        </div>
      </div>
      <div class="stage">
        <video
          aria-label="Recording: ${this.cameraName} ${start}"
          controls
          playsinline
          muted
          autoplay
          @timeupdate=${this.onTime}
          @durationchange=${this.onTime}
          @seeked=${this.onTime}
        ></video>
      </div>
      <div class="timeline">
        <span>${formatClock(startedAtMs + this.positionS * 1000)}</span>
        <input
          type="range"
          aria-label="Timeline"
          min="0"
          max=${this.durationS}
          step="0.1"
          .value=${String(this.positionS)}
          ?disabled=${this.durationS === 0}
          @input=${this.seek}
        />
        <span>${formatClock(startedAtMs + this.durationS * 1000)}</span>
      </div>
      ${this.problem ? html`<p class="error" role="alert">${problemText(this.problem)}</p>` : nothing}
    `;
  }
}

function problemText(problem: PlayerProblem): string {
  switch (problem.kind) {
    case 'stream-failed':
      return 'The recording could not be loaded. Check the connection and open it again.';
    case 'unsupported':
      return 'This browser cannot play recordings.';
    case 'load-failed':
      return problem.message;
    case 'download-failed':
      return `The recording could not be downloaded: ${problem.reason}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-recording-player': PwRecordingPlayer;
  }
}
