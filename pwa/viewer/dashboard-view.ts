import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Dashboard, DashboardCamera, HouseholdEvent, RecordingBlocker } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import { loadOrFail, type Loadable } from '../app/loadable.js';
import { panelStyles, uiStyles } from '../app/ui-styles.js';
import { formatStorage } from '../shared/format-bytes.js';
import type { DeviceDirectory } from './device-directory.js';
import { PROBLEM_TEXT } from './recordings/record-switch.js';


/** How often the numbers are read again while shown, ms. */
const REFRESH_INTERVAL_MS = 60_000;
/** A change in the household (`COUNTED`) reads the numbers again after this pause, ms (changes come in bursts). */
const CHANGE_PAUSE_MS = 1_500;
const DAY_MS = 24 * 3_600_000;
const HOUR_MS = 3_600_000;

/** The household events that change the numbers (camera reports and controls, which come often, do not). */
const COUNTED: ReadonlySet<HouseholdEvent['type']> = new Set([
  'presence',
  'pairing-claimed',
  'device-updated',
  'device-removed',
  'recording-state',
  'recording-removed',
  'motion-started',
  'motion-updated',
  'motion-ended',
]);

const BLOCKER_TEXT: Record<RecordingBlocker, string> = { ...PROBLEM_TEXT, offline: 'the camera is offline, so nothing is recorded' };

/** "5 min", "3 h", "2 days": how long the server has run. */
function durationText(ms: number): string {
  if (ms >= DAY_MS) return `${Math.floor(ms / DAY_MS)} ${ms >= 2 * DAY_MS ? 'days' : 'day'}`;
  if (ms >= HOUR_MS) return `${Math.floor(ms / HOUR_MS)} h`;
  return `${Math.max(1, Math.floor(ms / 60_000))} min`;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** The viewer's local midnight of today, ms since the epoch. */
function todayStartMs(): number {
  const day = new Date();
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}

/**
 * The household at a glance, at the top of the viewer for owners and members
 * (`GET /api/dashboard`): cameras online, offline and recording, events today,
 * the cameras that cannot record and why, storage in total against the
 * server's free disk and the retention limits, per camera a storage bar
 * (`<meter>` against the per-camera limit) and a 24-hour strip of events, and
 * the server's version and uptime. Read again every minute and shortly after
 * the household's live events say the numbers changed (`COUNTED`).
 */
@customElement('pw-dashboard')
export class PwDashboard extends LitElement {
  static override styles = [
    uiStyles,
    panelStyles,
    css`
      .totals {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.5rem;
        font-size: 1.05rem;
      }
      .totals strong {
        font-size: 1.4rem;
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      th,
      td {
        text-align: left;
        padding: 0.35rem 0.5rem 0.35rem 0;
        vertical-align: middle;
      }
      meter {
        width: min(10rem, 30vw);
      }
      meter.disk {
        width: 100%;
      }
      .strip {
        display: grid;
        grid-template-columns: repeat(24, 0.5rem);
        gap: 1px;
        align-items: end;
        height: 1.6rem;
      }
      .strip span {
        background: var(--pw-accent, #0f766e);
        border-radius: 1px;
        min-height: 1px;
      }
      .strip span.none {
        background: var(--pw-border);
      }
      ul {
        padding-left: 1.2rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) directory!: DeviceDirectory;

  @state() private loaded: Loadable<Dashboard> = { kind: 'loading' };

  private listeners: AbortController | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private pause: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.listeners = new AbortController();
    this.directory.on('change', () => this.soon(), this.listeners.signal);
    this.directory.on('household-event', (event) => COUNTED.has(event.type) && this.soon(), this.listeners.signal);
    this.timer = setInterval(() => void this.load(), REFRESH_INTERVAL_MS);
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.listeners?.abort();
    clearInterval(this.timer);
    clearTimeout(this.pause);
  }

  /** Reads the numbers again once the cameras' changes have settled. */
  private soon(): void {
    clearTimeout(this.pause);
    this.pause = setTimeout(() => void this.load(), CHANGE_PAUSE_MS);
  }

  private async load(): Promise<void> {
    this.loaded = await loadOrFail(() => this.api.call('GET /api/dashboard', { query: { dayStartMs: todayStartMs() } }), 'The overview could not be loaded.');
  }

  override render() {
    const loaded = this.loaded;
    return html`<section class="card" aria-labelledby="dashboard-title">
      <h2 id="dashboard-title">Overview</h2>
      ${loaded.kind === 'loading' ? html`<p class="muted" role="status">Loading the overview…</p>` : nothing}
      ${loaded.kind === 'failed' ? html`<p class="error" role="alert">${loaded.message}</p>` : nothing}
      ${loaded.kind === 'loaded' ? this.renderDashboard(loaded.value) : nothing}
    </section>`;
  }

  private renderDashboard(dashboard: Dashboard) {
    const { totals, storage, server, cameras } = dashboard;
    const blocked = cameras.filter((camera) => camera.cannotRecord !== null);
    const disk =
      storage.freeBytes !== null && storage.diskBytes !== null
        ? `${formatStorage(storage.freeBytes)} free of ${formatStorage(storage.diskBytes)} on the server’s disk`
        : 'kept in object storage';
    return html`
      <p class="totals" aria-label="Cameras and events">
        <span><strong>${totals.online}</strong> online</span>
        <span><strong>${totals.offline}</strong> offline</span>
        <span><strong>${totals.recording}</strong> recording</span>
        <span><strong>${totals.eventsToday}</strong> ${totals.eventsToday === 1 ? 'event' : 'events'} today</span>
      </p>
      ${blocked.length > 0
        ? html`<div role="group" aria-label="Cameras that cannot record">
            <h3>Not recording although asked to</h3>
            <ul>
              ${blocked.map((camera) => html`<li>${`${camera.name}: ${BLOCKER_TEXT[camera.cannotRecord!]}`}</li>`)}
            </ul>
          </div>`
        : nothing}
      ${storage.freeBytes !== null && storage.diskBytes !== null
        ? html`<meter
            class="disk"
            aria-label="Server disk in use"
            min="0"
            max=${storage.diskBytes}
            high=${storage.diskBytes * 0.9}
            .value=${storage.diskBytes - storage.freeBytes}
          ></meter>`
        : nothing}
      <p aria-label="Storage in total">
        Recordings and events use <strong>${formatStorage(totals.storageBytes)}</strong>, ${disk}. Kept for
        ${durationText(storage.maxAgeMs)}, at most ${formatStorage(storage.maxBytesPerCamera)} per camera.
      </p>
      ${cameras.length > 0
        ? html`<table aria-label="Cameras at a glance">
            <thead>
              <tr>
                <th scope="col">Camera</th>
                <th scope="col">Storage</th>
                <th scope="col">Events, last 24 hours</th>
              </tr>
            </thead>
            <tbody>
              ${cameras.map((camera) => this.renderCamera(camera, storage.maxBytesPerCamera))}
            </tbody>
          </table>`
        : nothing}
      <p class="muted" aria-label="Server version and uptime">Peerwatch ${server.version} · running for ${durationText(server.uptimeMs)}</p>
    `;
  }

  private renderCamera(camera: DashboardCamera, maxBytes: number) {
    const most = Math.max(1, ...camera.eventsByHour);
    const state = !camera.online ? 'offline' : camera.recording ? 'recording' : 'online';
    return html`<tr>
      <th scope="row">${camera.name} <span class="muted">${state}</span></th>
      <td>
        <meter aria-label="Storage of ${camera.name}" min="0" max=${maxBytes} .value=${camera.storageBytes}></meter>
        <span>${formatStorage(camera.storageBytes)}</span>
      </td>
      <td>
        <div
          class="strip"
          role="img"
          aria-label="Events of ${camera.name} per hour over the last 24 hours: ${plural(camera.eventsToday, 'event', 'events')} today, ${camera.eventsByHour.join(', ')}"
        >
          ${camera.eventsByHour.map(
            (count) => html`<span class=${count === 0 ? 'none' : ''} style="height: ${count === 0 ? 1 : Math.max(3, (count / most) * 100)}%"></span>`,
          )}
        </div>
      </td>
    </tr>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-dashboard': PwDashboard;
  }
}
