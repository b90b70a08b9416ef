import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { MotionEvent, MotionEventKind, RecordingSummary } from '../../protocol/index.js';
import type { ApiClient, EventFilter } from '../api/api-client.js';
import { messageOf } from '../app/error-message.js';
import { cardGridStyles, panelStyles, uiStyles } from '../app/ui-styles.js';
import { log } from '../shared/logger.js';
import { WhileConnected } from '../shared/while-connected.js';
import type { DeviceDirectory } from './device-directory.js';
import { formatDateTime, formatDuration } from './recordings/time-format.js';
import './recordings/recording-player.js';

/** While a recent event still lacks an image (the thumbnail comes as it starts, the snapshot after it ends), the list is reloaded this often, ms. */
const IMAGES_PENDING_RELOAD_MS = 2_000;
/** How long after its start an event without images is still waited for, ms. */
const IMAGES_PENDING_FOR_MS = 5 * 60_000;

const KIND_TEXT: Record<MotionEventKind, string> = { motion: 'Motion', person: 'Person' };

/**
 * The footage of the opened event: being looked up, none stored, found (its
 * recording, played from `startAtS`: the pre-roll before the event), or the
 * lookup failed (`message` is meant for people).
 */
type OpenedFootage =
  | { kind: 'loading'; eventId: string }
  | { kind: 'none'; eventId: string }
  | { kind: 'ready'; eventId: string; recording: RecordingSummary; startAtS: number }
  | { kind: 'failed'; eventId: string; message: string };

/**
 * The household's camera events (`GET /api/events`), newest first: each with
 * its thumbnail, camera name, kind, time and duration; filters by camera,
 * kind and day (a local calendar day); the next (older) page loads when the
 * end of the list scrolls into sight (IntersectionObserver), or with "Show
 * older events". Reloads the newest page when the household stream says an
 * event started or ended (`DeviceDirectory`'s `household-event`), and again
 * every `IMAGES_PENDING_RELOAD_MS` while a recent event still has no images.
 * Opening an event marks it seen, plays its footage from the pre-roll before
 * its start (the recording `footage` names, seeking into it with hls.js) and
 * shows its full snapshot. Fires `close` when closed.
 */
@customElement('pw-events-view')
export class PwEventsView extends LitElement {
  static override styles = [
    uiStyles,
    panelStyles,
    cardGridStyles,
    css`
      :host {
        --card-min-width: 14rem;
      }
      .filters label {
        display: grid;
        gap: 0.2rem;
      }
      li button.event {
        display: grid;
        gap: 0.35rem;
        width: 100%;
        padding: 0.5rem;
        text-align: left;
      }
      .thumb,
      .snapshot img {
        width: 100%;
        aspect-ratio: 4 / 3;
        object-fit: cover;
        border-radius: 8px;
        background: #0b1015;
        display: block;
      }
      .snapshot img {
        aspect-ratio: auto;
        object-fit: contain;
        max-height: 70vh;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) directory!: DeviceDirectory;
  /** The event to open (a notification's `?event=`, or one pressed in the bell's list), if any; opened when it changes. */
  @property({ attribute: false }) initialEventId: string | null = null;

  /** The newest page, then the older pages asked for, newest first; null while the first load runs. */
  @state() private events: MotionEvent[] | null = null;
  @state() private olderCursor: string | null = null;
  @state() private opened: string | null = null;
  /** An event asked for by `initialEventId` that is not in the list yet. */
  private toOpen: string | null = null;
  /** What the list shows (sent to the server); `day` is the day filter's `yyyy-mm-dd`, or '' for any day. */
  @state() private filter: EventFilter = {};
  @state() private day = '';
  @query('.more') private more?: HTMLElement;
  private readonly scrolledToEnd = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) void this.loadOlder();
  });
  /** The older page being loaded, so one loads at a time. */
  private loadingOlder: Promise<void> | null = null;
  @state() private footage: OpenedFootage | null = null;
  @state() private problem: string | null = null;
  private pendingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    new WhileConnected(this, () =>
      this.directory.on('household-event', (event) => {
        if (event.type === 'motion-started' || event.type === 'motion-updated' || event.type === 'motion-ended') void this.loadNewest();
      }),
    );
    new WhileConnected(this, () => this.directory.on('change', () => this.requestUpdate()));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadNewest();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.pendingTimer);
    this.scrolledToEnd.disconnect();
  }

  override updated(): void {
    this.scrolledToEnd.disconnect();
    if (this.more) this.scrolledToEnd.observe(this.more);
  }

  /** Shows the events of another filter from its newest page on. */
  private refilter(filter: EventFilter, day = this.day): void {
    this.filter = filter;
    this.day = day;
    this.events = null;
    this.olderCursor = null;
    void this.loadNewest();
  }

  private setDay(day: string): void {
    const [year, month, date] = day.split('-').map(Number);
    const { deviceId, kind } = this.filter;
    if (!year || !month || !date) {
      this.refilter({ deviceId, kind }, '');
      return;
    }
    const fromMs = new Date(year, month - 1, date).getTime();
    const toMs = new Date(year, month - 1, date + 1).getTime() - 1;
    this.refilter({ deviceId, kind, fromMs, toMs }, day);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('initialEventId') && this.initialEventId) {
      this.toOpen = this.initialEventId;
      this.openAsked();
    }
  }

  /** Opens the event asked for (`initialEventId`) once it is in the list. */
  private openAsked(): void {
    const event = this.toOpen === null ? undefined : this.events?.find((e) => e.id === this.toOpen);
    if (!event) return;
    this.toOpen = null;
    this.open(event);
  }

  /** Loads the newest page and puts it before the older events already shown. */
  private async loadNewest(): Promise<void> {
    clearTimeout(this.pendingTimer);
    const filter = this.filter;
    try {
      const page = await this.api.listEvents(filter);
      if (filter !== this.filter) return;
      const ids = new Set(page.events.map((event) => event.id));
      const older = (this.events ?? []).filter((event) => !ids.has(event.id) && !this.inNewest(event, page.events));
      if (this.events === null) this.olderCursor = page.nextCursor;
      this.events = [...page.events, ...older];
      this.problem = null;
      this.openAsked();
    } catch (error) {
      this.problem = `The events could not be loaded: ${messageOf(error, String(error))}`;
    }
    const nowMs = Date.now();
    const lacksImage = (event: MotionEvent) => event.thumbnailUrl === null || event.snapshotUrl === null;
    if (this.events?.some((event) => lacksImage(event) && nowMs - event.startedAtMs < IMAGES_PENDING_FOR_MS)) {
      this.pendingTimer = setTimeout(() => void this.loadNewest(), IMAGES_PENDING_RELOAD_MS);
    }
  }

  /** Whether `event` falls inside the span the newest page covers (so a reload of it replaces it). */
  private inNewest(event: MotionEvent, newest: MotionEvent[]): boolean {
    const oldest = newest.at(-1);
    return oldest !== undefined && event.startedAtMs >= oldest.startedAtMs;
  }

  private loadOlder(): Promise<void> {
    this.loadingOlder ??= this.loadOlderPage().finally(() => (this.loadingOlder = null));
    return this.loadingOlder;
  }

  private async loadOlderPage(): Promise<void> {
    const cursor = this.olderCursor;
    const filter = this.filter;
    if (!cursor) return;
    try {
      const page = await this.api.listEvents(filter, cursor);
      if (filter !== this.filter) return;
      const ids = new Set((this.events ?? []).map((event) => event.id));
      this.events = [...(this.events ?? []), ...page.events.filter((event) => !ids.has(event.id))];
      this.olderCursor = page.nextCursor;
    } catch (error) {
      this.problem = `Older events could not be loaded: ${messageOf(error, String(error))}`;
    }
  }

  /** Opens an event: shows its snapshot, marks it seen, and plays its footage from the pre-roll before its start. */
  private open(event: MotionEvent): void {
    this.opened = event.id;
    this.api.markEventSeen(event.id).catch((error: unknown) => log.warn('events: an event could not be marked seen', error));
    void this.loadFootage(event);
  }

  private async loadFootage(event: MotionEvent): Promise<void> {
    const { footage } = event;
    if (!footage) {
      this.footage = { kind: 'none', eventId: event.id };
      return;
    }
    this.footage = { kind: 'loading', eventId: event.id };
    try {
      const [recordings, settings] = await Promise.all([
        this.api.listRecordings(event.deviceId),
        this.api.cameraSettings(event.deviceId),
      ]);
      const recording = recordings.find((r) => r.id === footage.recordingId);
      const startAtS = Math.max(0, footage.offsetMs - settings.recording.preRollMs) / 1000;
      if (this.opened !== event.id) return;
      this.footage = recording ? { kind: 'ready', eventId: event.id, recording, startAtS } : { kind: 'none', eventId: event.id };
    } catch (error) {
      if (this.opened === event.id) {
        this.footage = { kind: 'failed', eventId: event.id, message: messageOf(error, 'The footage could not be found.') };
      }
    }
  }

  private renderFootage(event: MotionEvent) {
    const footage = this.footage?.eventId === event.id ? this.footage : null;
    switch (footage?.kind) {
      case undefined:
      case 'loading':
        return html`<p class="muted" role="status">Looking for the footage…</p>`;
      case 'none':
        return html`<p class="muted">No footage of this event is stored.</p>`;
      case 'failed':
        return html`<p class="error" role="alert">${footage.message}</p>`;
      case 'ready':
        return html`<pw-recording-player
          .api=${this.api}
          .recording=${footage.recording}
          .startAtS=${footage.startAtS}
          cameraName=${this.cameraName(event.deviceId)}
        ></pw-recording-player>`;
    }
  }

  private cameraName(deviceId: string): string {
    return this.directory.get(deviceId)?.name ?? 'Removed camera';
  }

  override render() {
    const opened = this.events?.find((event) => event.id === this.opened);
    return html`<section class="card" aria-labelledby="events-title">
      <div class="head">
        <h2 id="events-title">Events</h2>
        <button @click=${() => this.dispatchEvent(new Event('close'))}>Close events</button>
      </div>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      ${this.renderFilters()} ${opened ? this.renderOpened(opened) : nothing} ${this.renderList()}
    </section>`;
  }

  private renderOpened(event: MotionEvent) {
    const label = `${this.cameraName(event.deviceId)} ${formatDateTime(event.startedAtMs)}`;
    return html`${this.renderFootage(event)}<figure class="snapshot">
      ${event.snapshotUrl
        ? html`<img src=${event.snapshotUrl} alt="Full snapshot: ${label}" />`
        : html`<p class="muted">The snapshot has not arrived yet.</p>`}
      <figcaption class="row">
        <span>${KIND_TEXT[event.kind]} · ${label}</span>
        <button @click=${() => (this.opened = null)}>Close snapshot</button>
      </figcaption>
    </figure>`;
  }

  private renderFilters() {
    const { deviceId, kind } = this.filter;
    return html`<div class="row filters">
      <label
        >Camera
        <select @change=${(e: Event) => this.refilter({ ...this.filter, deviceId: (e.target as HTMLSelectElement).value || undefined })}>
          <option value="" ?selected=${!deviceId}>All cameras</option>
          ${this.directory.list.map(
            (device) => html`<option value=${device.id} ?selected=${deviceId === device.id}>${device.name}</option>`,
          )}
        </select>
      </label>
      <label
        >Kind
        <select
          @change=${(e: Event) =>
            this.refilter({ ...this.filter, kind: ((e.target as HTMLSelectElement).value || undefined) as MotionEventKind | undefined })}
        >
          <option value="" ?selected=${!kind}>All kinds</option>
          ${(Object.keys(KIND_TEXT) as MotionEventKind[]).map(
            (value) => html`<option value=${value} ?selected=${kind === value}>${KIND_TEXT[value]}</option>`,
          )}
        </select>
      </label>
      <label
        >Day
        <input type="date" .value=${this.day} @change=${(e: Event) => this.setDay((e.target as HTMLInputElement).value)} />
      </label>
    </div>`;
  }

  private renderList() {
    const events = this.events;
    if (events === null) return html`<p class="muted" role="status">Loading events…</p>`;
    if (events.length === 0) {
      const filtered = this.filter.deviceId || this.filter.kind || this.day;
      return html`<p class="muted">${filtered ? 'No events match these filters.' : 'No events yet. Cameras report motion here as it happens.'}</p>`;
    }
    return html`<ul aria-label="Events">
        ${repeat(
          events,
          (event) => event.id,
          (event) => this.renderItem(event),
        )}
      </ul>
      ${this.olderCursor
        ? html`<div class="more" aria-hidden="true"></div>
            <button @click=${() => void this.loadOlder()}>Show older events</button>`
        : nothing}`;
  }

  private renderItem(event: MotionEvent) {
    const camera = this.cameraName(event.deviceId);
    const time = formatDateTime(event.startedAtMs);
    const duration = event.endedAtMs === null ? 'going on' : formatDuration(event.endedAtMs - event.startedAtMs);
    return html`<li>
      <button class="event" aria-label="Open event: ${camera} ${time}" @click=${() => this.open(event)}>
        ${event.thumbnailUrl
          ? html`<img class="thumb" src=${event.thumbnailUrl} alt="Event snapshot: ${camera} ${time}" />`
          : html`<span class="thumb" aria-hidden="true"></span>`}
        <strong>${camera}</strong>
        <span class="facts">
          <span>${KIND_TEXT[event.kind]}</span>
          <span>${time}</span>
          <span>${duration}</span>
        </span>
      </button>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-events-view': PwEventsView;
  }
}
