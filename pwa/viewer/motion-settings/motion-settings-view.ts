import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CameraSettingsWrite, Device, RecordingMode, Sensitivity } from '../../../protocol/index.js';
import { QUIET_PERIOD_RANGE_MS, ROLL_RANGE_MS } from '../../../protocol/camera-settings-limits.js';
import type { ApiClient } from '../../api/api-client.js';
import { messageOf } from '../../app/error-message.js';
import { switchStyles } from '../../app/switch-styles.js';
import { panelStyles, uiStyles } from '../../app/ui-styles.js';
import type { PeerSession } from '../../shared/peer-session.js';
import { cameraSnapshot } from './camera-snapshot.js';
import './zone-editor.js';
import type { ZonesChangeEvent } from './zone-editor.js';

const SENSITIVITIES: ReadonlyArray<[Sensitivity, string]> = [
  ['low', 'Low'],
  ['medium', 'Medium'],
  ['high', 'High'],
];
const MODES: ReadonlyArray<[RecordingMode, string]> = [
  ['off', 'Off'],
  ['always', 'Always'],
  ['events', 'On events'],
];

/**
 * Where the form is: loading the settings; showing them (`draft`, the
 * person's edits not yet saved); or they could not be loaded (`message` is
 * meant for people).
 */
type FormState = { kind: 'loading' } | { kind: 'editing'; draft: CameraSettingsWrite } | { kind: 'failed'; message: string };

/** Saving: not asked, under way, done, or refused (`message` is meant for people). */
type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; message: string };

/** The picture zones are drawn on: being taken, taken (a data URL), or none (`reason` is meant for people). */
type Picture = { kind: 'taking' } | { kind: 'taken'; url: string } | { kind: 'none'; reason: string };

/**
 * A camera's "Motion settings" on the viewer: motion detection on/off,
 * sensitivity, person detection, the quiet period, the recording mode with its pre-roll and
 * post-roll, and the zones drawn on a current snapshot of the camera
 * (`pw-zone-editor`; the snapshot comes from a short live call). "Save"
 * sends them all (`PUT /api/devices/:id/settings`); the server pushes them to
 * the camera, at once or when it is back. Fires `close` when closed.
 */
@customElement('pw-motion-settings')
export class PwMotionSettings extends LitElement {
  static override styles = [
    uiStyles,
    panelStyles,
    switchStyles,
    css`
      form {
        display: grid;
        gap: 0.8rem;
      }
      .fields {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
        gap: 0.8rem;
      }
      label.field {
        display: grid;
        gap: 0.3rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) session!: PeerSession;
  @property({ attribute: false }) device!: Device;

  @state() private form: FormState = { kind: 'loading' };
  @state() private save: SaveState = { kind: 'idle' };
  @state() private picture: Picture = { kind: 'taking' };

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    void this.takePicture();
  }

  private async load(): Promise<void> {
    try {
      const { motion, recording } = await this.api.cameraSettings(this.device.id);
      this.form = { kind: 'editing', draft: { motion, recording } };
    } catch (error) {
      this.form = { kind: 'failed', message: `The settings could not be loaded: ${messageOf(error, String(error))}` };
    }
  }

  private async takePicture(): Promise<void> {
    this.picture = { kind: 'taking' };
    try {
      this.picture = { kind: 'taken', url: await cameraSnapshot(this.session, this.device) };
    } catch (error) {
      this.picture = { kind: 'none', reason: messageOf(error, 'No picture could be taken.') };
    }
  }

  /** Applies one edit to the draft. */
  private edit(change: (draft: CameraSettingsWrite) => CameraSettingsWrite): void {
    if (this.form.kind !== 'editing') return;
    this.form = { kind: 'editing', draft: change(this.form.draft) };
    this.save = { kind: 'idle' };
  }

  private editMotion(fields: Partial<CameraSettingsWrite['motion']>): void {
    this.edit((draft) => ({ ...draft, motion: { ...draft.motion, ...fields } }));
  }

  private editRecording(fields: Partial<CameraSettingsWrite['recording']>): void {
    this.edit((draft) => ({ ...draft, recording: { ...draft.recording, ...fields } }));
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.form.kind !== 'editing') return;
    this.save = { kind: 'saving' };
    try {
      await this.api.setCameraSettings(this.device.id, this.form.draft);
      this.save = { kind: 'saved' };
    } catch (error) {
      this.save = { kind: 'failed', message: `Not saved: ${messageOf(error, String(error))}` };
    }
  }

  override render() {
    const name = this.device.name;
    return html`<section class="card" aria-labelledby="motion-settings-title">
      <div class="head">
        <h2 id="motion-settings-title">Motion settings · ${name}</h2>
        <button @click=${() => this.dispatchEvent(new Event('close'))}>Close motion settings</button>
      </div>
      ${this.renderForm()}
    </section>`;
  }

  private renderForm() {
    const form = this.form;
    if (form.kind === 'loading') return html`<p class="muted" role="status">Loading the settings…</p>`;
    if (form.kind === 'failed') return html`<p class="error" role="alert">${form.message}</p>`;
    const { motion, recording } = form.draft;
    return html`<form @submit=${this.submit}>
      <label class="switch">
        <input
          type="checkbox"
          role="switch"
          .checked=${motion.enabled}
          @change=${(e: Event) => this.editMotion({ enabled: (e.target as HTMLInputElement).checked })}
        />
        <span>Motion detection</span>
      </label>
      <div class="fields">
        <label class="field"
          >Sensitivity
          <select @change=${(e: Event) => this.editMotion({ sensitivity: (e.target as HTMLSelectElement).value as Sensitivity })}>
            ${SENSITIVITIES.map(([value, text]) => html`<option value=${value} ?selected=${motion.sensitivity === value}>${text}</option>`)}
          </select>
        </label>
        ${secondsField('Quiet period (s)', QUIET_PERIOD_RANGE_MS, motion.quietPeriodMs, (quietPeriodMs) => this.editMotion({ quietPeriodMs }))}
        <label class="field"
          >Recording mode
          <select @change=${(e: Event) => this.editRecording({ mode: (e.target as HTMLSelectElement).value as RecordingMode })}>
            ${MODES.map(([value, text]) => html`<option value=${value} ?selected=${recording.mode === value}>${text}</option>`)}
          </select>
        </label>
        ${secondsField('Pre-roll (s)', ROLL_RANGE_MS, recording.preRollMs, (preRollMs) => this.editRecording({ preRollMs }))}
        ${secondsField('Post-roll (s)', ROLL_RANGE_MS, recording.postRollMs, (postRollMs) => this.editRecording({ postRollMs }))}
      </div>
      <label class="switch">
        <input
          type="checkbox"
          role="switch"
          .checked=${motion.personDetection}
          aria-describedby="person-note"
          @change=${(e: Event) => this.editMotion({ personDetection: (e.target as HTMLInputElement).checked })}
        />
        <span>Person detection</span>
      </label>
      <p class="muted" id="person-note">
        A person model on the camera looks at what moves: events with a person in them say "Person", others "Motion".
      </p>
      <h3>Zones</h3>
      <pw-zone-editor
        .zones=${motion.zones}
        .picture=${this.picture.kind === 'taken' ? this.picture.url : null}
        pictureNote=${this.picture.kind === 'none' ? `No current picture: ${this.picture.reason}` : 'Taking a snapshot…'}
        cameraName=${this.device.name}
        @zones-change=${(e: ZonesChangeEvent) => this.editMotion({ zones: e.zones })}
      ></pw-zone-editor>
      <div class="row">
        ${this.picture.kind === 'taking'
          ? html`<span class="muted" role="status">Taking a snapshot…</span>`
          : html`<button type="button" ?disabled=${!this.device.online} @click=${() => void this.takePicture()}>New snapshot</button>`}
        <button class="primary" type="submit" ?disabled=${this.save.kind === 'saving'}>Save motion settings</button>
        ${this.renderSave()}
      </div>
    </form>`;
  }

  private renderSave() {
    switch (this.save.kind) {
      case 'idle':
        return nothing;
      case 'saving':
        return html`<span class="muted" role="status">Saving…</span>`;
      case 'saved':
        return html`<span role="status">Saved${this.device.online ? '' : ': the camera follows them when it is back online'}.</span>`;
      case 'failed':
        return html`<p class="error" role="alert">${this.save.message}</p>`;
    }
  }
}

/** A labelled number field in whole seconds for a setting kept in ms, within `range` (ms). */
function secondsField(label: string, range: { min: number; max: number }, valueMs: number, onChange: (ms: number) => void) {
  return html`<label class="field"
    >${label}
    <input
      type="number"
      min=${range.min / 1000}
      max=${range.max / 1000}
      step="1"
      .value=${String(valueMs / 1000)}
      @change=${(e: Event) => onChange(Math.round(Number((e.target as HTMLInputElement).value) * 1000))}
    />
  </label>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-motion-settings': PwMotionSettings;
  }
}
