import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Device } from '../../protocol/index.js';
import { deviceNameProblem } from '../../protocol/device-name.js';
import { messageOf } from '../app/error-message.js';
import { uiStyles } from '../app/ui-styles.js';
import { WhileConnected } from '../shared/while-connected.js';
import type { DeviceDirectory } from './device-directory.js';
import type { RecordingStates } from './recordings/recording-states.js';
import './recordings/record-switch.js';
import type { LastMotion } from './last-motion.js';
import './battery-status.js';
import type { CameraControlStates } from './camera-control-states.js';
import { timeAgo } from './relative-time.js';

/** How often "last seen …" texts are brought up to date, ms. */
const CLOCK_MS = 30_000;

/**
 * Sent by `pw-camera-list` when "Watch <name>" (`watch`), "Recordings <name>"
 * (`recordings`) or "Motion settings <name>" (`motion-settings`) is pressed.
 */
export class CameraChosenEvent extends Event {
  constructor(
    type: 'watch' | 'recordings' | 'motion-settings',
    readonly deviceId: string,
  ) {
    super(type);
  }
}

/**
 * The household's cameras: name, "Online"/"Offline" and "last seen …", with
 * per-camera buttons "Watch <name>", "Recordings <name>", "Motion settings <name>", "Rename <name>" and
 * "Remove <name>" (rename and remove happen in place, remove after a
 * confirmation), its battery (`pw-battery-status`, with the low-battery
 * warning) and its "Record" switch. Motion settings, Rename and the switch only
 * for a role that may `control` cameras, Remove for one that may manage `cameras`.
 * Fires `watch`, `recordings` and `motion-settings` (`CameraChosenEvent`).
 */
@customElement('pw-camera-list')
export class PwCameraList extends LitElement {
  static override styles = [
    uiStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.75rem;
      }
      li {
        display: grid;
        gap: 0.75rem;
      }
      .summary {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 0.75rem 1rem;
        flex-wrap: wrap;
      }
      .who {
        display: grid;
        gap: 0.1rem;
        min-width: 0;
      }
      .name {
        font-weight: 700;
        font-size: 1.05rem;
        overflow-wrap: anywhere;
      }
      pw-battery-status {
        font-size: 0.85rem;
        color: var(--pw-muted);
        --pw-battery-low: var(--pw-danger);
      }
      .last-motion {
        font-size: 0.85rem;
        color: var(--pw-muted);
      }
      .presence {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        font-size: 0.92rem;
        color: var(--pw-muted);
      }
      .presence .state {
        font-weight: 650;
      }
      .online .state {
        color: var(--pw-online);
      }
      .dot {
        width: 0.6rem;
        height: 0.6rem;
        border-radius: 50%;
        background: var(--pw-muted);
        flex: none;
      }
      .online .dot {
        background: var(--pw-online);
        box-shadow: 0 0 0 3px color-mix(in srgb, var(--pw-online) 25%, transparent);
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
      }
      form .field {
        flex: 1 1 14rem;
      }
      .confirm {
        display: grid;
        gap: 0.6rem;
        padding: 0.75rem 1rem;
        border-radius: 10px;
        background: var(--pw-danger-soft);
      }
      @media (max-width: 30rem) {
        .summary .row {
          width: 100%;
        }
        .summary .row button {
          flex: 1 1 0;
          padding-inline: 0.5rem;
        }
      }
      .empty {
        text-align: center;
        display: grid;
        gap: 0.5rem;
        padding: 2rem 1.25rem;
      }
    `,
  ];

  @property({ attribute: false }) directory!: DeviceDirectory;
  @property({ attribute: false }) recordingStates!: RecordingStates;
  @property({ attribute: false }) lastMotion!: LastMotion;
  @property({ attribute: false }) controlStates!: CameraControlStates;
  /** Device ids being watched now. */
  @property({ attribute: false }) watching: ReadonlySet<string> = new Set();
  /** Whether the person may rename cameras and use their Record switch (permission `control`). */
  @property({ type: Boolean }) mayControl = false;
  /** Whether the person may remove cameras (permission `cameras`). */
  @property({ type: Boolean }) mayRemove = false;

  @state() private editing: string | null = null;
  @state() private confirmingRemoval: string | null = null;
  @state() private problem: { deviceId: string; message: string } | null = null;
  @state() private nowMs = Date.now();

  private clock: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    new WhileConnected(this, () => this.directory.on('change', () => this.requestUpdate()));
    new WhileConnected(this, () => this.lastMotion.on('change', () => this.requestUpdate()));
    new WhileConnected(this, () => this.controlStates.on('change', () => this.requestUpdate()));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.clock = setInterval(() => (this.nowMs = Date.now()), CLOCK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
  }

  private async rename(event: SubmitEvent, device: Device): Promise<void> {
    event.preventDefault();
    const name = String(new FormData(event.target as HTMLFormElement).get('name') ?? '').trim();
    // The server's rule, counted the same way (code points), said before sending.
    const problem = deviceNameProblem(name);
    if (problem) {
      this.problem = { deviceId: device.id, message: `The camera name ${problem}.` };
      return;
    }
    try {
      await this.directory.rename(device.id, name);
      this.editing = null;
      this.problem = null;
    } catch (error) {
      this.problem = { deviceId: device.id, message: messageOf(error, 'That did not work. Try again.') };
    }
  }

  private async removeDevice(device: Device): Promise<void> {
    try {
      await this.directory.remove(device.id);
      this.confirmingRemoval = null;
      this.problem = null;
    } catch (error) {
      this.problem = { deviceId: device.id, message: messageOf(error, 'That did not work. Try again.') };
    }
  }

  override render() {
    const devices = this.directory.list;
    const status = this.directory.status;
    switch (status.kind) {
      case 'loading':
        return html`<p class="muted" role="status">Loading cameras…</p>`;
      case 'unreachable':
        return html`<p class="error" role="alert">
          The server cannot be reached. The cameras show as soon as it can be; trying again.
        </p>`;
      case 'load-failed':
        return html`<p class="error" role="alert">${status.message}</p>`;
      case 'loaded':
        break;
    }
    if (devices.length === 0) {
      return html`<div class="card empty">
        <p><strong>No cameras yet.</strong></p>
        <p class="muted">Press “Add camera” and scan the code with the phone or laptop that will be the camera.</p>
      </div>`;
    }
    return html`<ul aria-label="Cameras">
      ${devices.map((device) => this.renderDevice(device))}
    </ul>`;
  }

  private renderLastMotion(deviceId: string) {
    const atMs = this.lastMotion.of(deviceId);
    return atMs === undefined ? nothing : html`<span class="last-motion">Last motion ${timeAgo(atMs, this.nowMs)}</span>`;
  }

  private renderDevice(device: Device) {
    const { name } = device;
    const watched = this.watching.has(device.id);
    return html`<li class="card">
      <div class="summary">
        <div class="who">
          <span class="name">${name}</span>
          <span class="presence ${device.online ? 'online' : ''}">
            <span class="dot" aria-hidden="true"></span>
            <span class="state">${device.online ? 'Online' : 'Offline'}</span>
            ${device.online ? nothing : html`<span>· ${lastSeen(device, this.nowMs)}</span>`}
          </span>
          ${this.renderLastMotion(device.id)}
          <pw-battery-status .report=${this.controlStates.get(device.id)?.report ?? null}></pw-battery-status>
        </div>
        <div class="row">
          <button
            class="primary"
            aria-label="Watch ${name}"
            ?disabled=${!device.online || watched}
            @click=${() => this.dispatchEvent(new CameraChosenEvent('watch', device.id))}
          >
            ${watched ? 'Watching' : 'Watch'}
          </button>
          <button
            aria-label="Recordings ${name}"
            @click=${() => this.dispatchEvent(new CameraChosenEvent('recordings', device.id))}
          >
            Recordings
          </button>
          ${this.mayControl
            ? html`<button
                  aria-label="Motion settings ${name}"
                  @click=${() => this.dispatchEvent(new CameraChosenEvent('motion-settings', device.id))}
                >
                  Motion settings
                </button>
                <button aria-label="Rename ${name}" @click=${() => this.startEditing(device.id)}>Rename</button>`
            : nothing}
          ${this.mayRemove
            ? html`<button class="danger" aria-label="Remove ${name}" @click=${() => this.startRemoval(device.id)}>
                Remove
              </button>`
            : nothing}
        </div>
      </div>
      ${this.mayControl ? html`<pw-record-switch .states=${this.recordingStates} .device=${device}></pw-record-switch>` : nothing}
      ${this.editing === device.id ? this.renderRename(device) : nothing}
      ${this.confirmingRemoval === device.id ? this.renderConfirmRemoval(device) : nothing}
      ${this.problem?.deviceId === device.id ? html`<p class="error" role="alert">${this.problem.message}</p>` : nothing}
    </li>`;
  }

  private renderRename(device: Device) {
    const inputId = `rename-${device.id}`;
    return html`<form @submit=${(event: SubmitEvent) => this.rename(event, device)}>
      <div class="field">
        <label for=${inputId}>Camera name</label>
        <input id=${inputId} name="name" .value=${device.name} required autocomplete="off" />
      </div>
      <button class="primary" type="submit">Save</button>
      <button type="button" @click=${() => (this.editing = null)}>Cancel</button>
    </form>`;
  }

  private renderConfirmRemoval(device: Device) {
    return html`<div class="confirm" role="group" aria-label="Remove ${device.name}?">
      <p>Remove “${device.name}”? It stops streaming at once and has to be paired again to come back.</p>
      <div class="row">
        <button class="danger solid" @click=${() => this.removeDevice(device)}>Yes, remove</button>
        <button @click=${() => (this.confirmingRemoval = null)}>Keep it</button>
      </div>
    </div>`;
  }

  private startEditing(deviceId: string): void {
    this.editing = deviceId;
    this.confirmingRemoval = null;
    this.problem = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('form input')?.select());
  }

  private startRemoval(deviceId: string): void {
    this.confirmingRemoval = deviceId;
    this.editing = null;
    this.problem = null;
  }
}

function lastSeen(device: Device, nowMs: number): string {
  return device.lastSeenAtMs === null ? 'never connected' : `last seen ${timeAgo(device.lastSeenAtMs, nowMs)}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-camera-list': PwCameraList;
  }
}
