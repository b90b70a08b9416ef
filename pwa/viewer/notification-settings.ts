import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CameraSnooze, NotificationPreferences, NotificationTopic, SnoozeLength } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import { messageOf } from '../app/error-message.js';
import { uiStyles } from '../app/ui-styles.js';
import { log } from '../shared/logger.js';
import type { DeviceDirectory } from './device-directory.js';
import { formatDateTime } from './recordings/time-format.js';

/** The topics as the panel names them. */
const TOPIC_TEXT: Record<NotificationTopic, string> = {
  motion: 'Motion',
  person: 'Person',
  offline: 'Camera offline',
  'recording-problem': 'Recording problems',
  battery: 'Camera battery low',
};

/** The snooze choices as the panel names them; `on` is "not snoozed". */
const SNOOZE_TEXT: Record<SnoozeLength | 'on', string> = {
  on: 'Not snoozed',
  '30m': '30 min',
  '1h': '1 h',
  '8h': '8 h',
  'until-resumed': 'Until turned back on',
};

/** Quiet hours offered when the user first turns them on. */
const DEFAULT_QUIET = { start: '22:00', end: '07:00' };

/** Where the panel is: loading, failed to load, or showing the user's preferences and the household's snoozes. */
type SettingsState =
  | { phase: 'loading' }
  | { phase: 'failed'; message: string }
  | { phase: 'ready'; preferences: NotificationPreferences; snoozes: CameraSnooze[] };

/**
 * Notification settings: this user's topics, cameras and quiet hours (in
 * this browser's time zone), saved with "Save notification settings"; and
 * per camera, a snooze for the whole household (30 min, 1 h, 8 h, until
 * turned back on), applied as it is chosen. They hold back pushes only.
 */
@customElement('pw-notification-settings')
export class PwNotificationSettings extends LitElement {
  static override styles = [
    uiStyles,
    css`
      :host {
        display: grid;
        gap: 0.6rem;
      }
      fieldset {
        display: grid;
        gap: 0.3rem;
        margin: 0;
        border: 1px solid var(--pw-border);
        border-radius: 0.4rem;
      }
      label {
        display: flex;
        gap: 0.4rem;
        align-items: center;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) directory!: DeviceDirectory;

  @state() private settings: SettingsState = { phase: 'loading' };
  @state() private status: string | null = null;

  /** Loads once its properties are set (this element is defined lazily, after the bell set them). */
  protected override firstUpdated(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const [preferences, snoozes] = await Promise.all([this.api.notificationPreferences(), this.api.cameraSnoozes()]);
      this.settings = { phase: 'ready', preferences, snoozes };
    } catch (error) {
      log.warn('notifications: settings could not be loaded', error);
      this.settings = { phase: 'failed', message: messageOf(error, 'The notification settings could not be loaded.') };
    }
  }

  /** Changes the preferences shown (saved only with the Save button). */
  private edit(change: (preferences: NotificationPreferences) => NotificationPreferences): void {
    if (this.settings.phase !== 'ready') return;
    this.settings = { ...this.settings, preferences: change(this.settings.preferences) };
    this.status = null;
  }

  private async save(): Promise<void> {
    if (this.settings.phase !== 'ready') return;
    try {
      const preferences = await this.api.setNotificationPreferences(this.settings.preferences);
      this.settings = { ...this.settings, preferences };
      this.status = 'Notification settings saved.';
    } catch (error) {
      log.warn('notifications: settings could not be saved', error);
      this.status = messageOf(error, 'The notification settings could not be saved.');
    }
  }

  private async snooze(deviceId: string, choice: SnoozeLength | 'on'): Promise<void> {
    try {
      if (choice === 'on') await this.api.resumeCamera(deviceId);
      else await this.api.snoozeCamera(deviceId, choice);
      const snoozes = await this.api.cameraSnoozes();
      if (this.settings.phase === 'ready') this.settings = { ...this.settings, snoozes };
      this.status = null;
    } catch (error) {
      log.warn('notifications: snooze failed', error);
      this.status = messageOf(error, 'The snooze could not be changed.');
    }
  }

  override render() {
    const settings = this.settings;
    if (settings.phase === 'loading') return html`<p class="muted" role="status">Loading notification settings…</p>`;
    if (settings.phase === 'failed') return html`<p role="alert">${settings.message}</p>`;
    const { preferences } = settings;
    const cameras = this.directory.list;
    const quiet = preferences.quietHours;
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return html`
      <fieldset>
        <legend>Push me about</legend>
        ${(Object.keys(TOPIC_TEXT) as NotificationTopic[]).map(
          (topic) => html`<label>
            <input
              type="checkbox"
              .checked=${preferences.topics[topic]}
              @change=${(e: Event) => {
                const on = (e.target as HTMLInputElement).checked;
                this.edit((p) => ({ ...p, topics: { ...p.topics, [topic]: on } }));
              }}
            />${TOPIC_TEXT[topic]}
          </label>`,
        )}
      </fieldset>
      <fieldset>
        <legend>From these cameras</legend>
        ${cameras.length === 0 ? html`<p class="muted">No cameras yet.</p>` : nothing}
        ${cameras.map(
          (camera) => html`<label>
            <input
              type="checkbox"
              .checked=${!preferences.mutedDeviceIds.includes(camera.id)}
              @change=${(e: Event) => {
                const on = (e.target as HTMLInputElement).checked;
                this.edit((p) => ({
                  ...p,
                  mutedDeviceIds: on ? p.mutedDeviceIds.filter((id) => id !== camera.id) : [...p.mutedDeviceIds, camera.id],
                }));
              }}
            />${camera.name}
          </label>`,
        )}
      </fieldset>
      <fieldset>
        <legend>Quiet hours</legend>
        <label>
          <input
            type="checkbox"
            .checked=${quiet !== null}
            @change=${(e: Event) => {
              const on = (e.target as HTMLInputElement).checked;
              this.edit((p) => ({ ...p, quietHours: on ? { ...DEFAULT_QUIET, timeZone } : null }));
            }}
          />No pushes during quiet hours
        </label>
        ${quiet
          ? html`<label
                >Quiet from
                <input type="time" required .value=${quiet.start} @change=${(e: Event) => this.setQuiet('start', e)} /></label
              ><label
                >Quiet until <input type="time" required .value=${quiet.end} @change=${(e: Event) => this.setQuiet('end', e)}
              /></label>
              <p class="muted">Times in ${quiet.timeZone}.</p>`
          : nothing}
      </fieldset>
      <button class="primary" @click=${() => void this.save()}>Save notification settings</button>
      <fieldset>
        <legend>Snooze a camera for everyone</legend>
        ${cameras.map((camera) => this.renderSnooze(camera.id, camera.name, settings.snoozes))}
      </fieldset>
      ${this.status ? html`<p role="status">${this.status}</p>` : nothing}
    `;
  }

  private setQuiet(end: 'start' | 'end', event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.edit((p) => (p.quietHours ? { ...p, quietHours: { ...p.quietHours, [end]: value } } : p));
  }

  private renderSnooze(deviceId: string, name: string, snoozes: CameraSnooze[]) {
    const snooze = snoozes.find((s) => s.deviceId === deviceId);
    const until = snooze ? (snooze.untilMs === null ? 'until turned back on' : `until ${formatDateTime(snooze.untilMs)}`) : null;
    return html`<label>
      Snooze ${name}
      <select
        aria-label="Snooze ${name}"
        @change=${(e: Event) => void this.snooze(deviceId, (e.target as HTMLSelectElement).value as SnoozeLength | 'on')}
      >
        ${(Object.keys(SNOOZE_TEXT) as (SnoozeLength | 'on')[]).map(
          (choice) => html`<option value=${choice} ?selected=${choice === 'on' && !snooze}>${SNOOZE_TEXT[choice]}</option>`,
        )}
      </select>
      ${until ? html`<span class="muted">Snoozed ${until}</span>` : nothing}
    </label>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-notification-settings': PwNotificationSettings;
  }
}
