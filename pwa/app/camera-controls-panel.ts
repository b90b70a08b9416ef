import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { CameraControls, CameraReportRequest, OwnCameraControlsRequest, QualityPreset } from '../../protocol/index.js';
import { switchStyles } from './switch-styles.js';
import { uiStyles } from './ui-styles.js';

/** What the panel offers depends on: the capture devices and what the camera's track can do. */
export type ControlOffer = Pick<CameraReportRequest, 'videoSources' | 'videoSourceId' | 'torch' | 'zoom' | 'maxHeight'>;

/** The preset names people read. */
const QUALITY_LABELS: Record<QualityPreset, string> = {
  'data-saver': 'Data saver (480p, 15 fps)',
  standard: 'Standard (720p, 30 fps)',
  high: 'High (1080p)',
};

/** The capture height the High preset needs, px. */
const HIGH_HEIGHT = 1080;

/** Fired by `pw-camera-controls` with the controls to change. */
export class ControlsChangeEvent extends Event {
  constructor(readonly change: OwnCameraControlsRequest) {
    super('controls-change', { bubbles: true, composed: true });
  }
}

/**
 * A camera's controls, the same on the viewer and on the camera itself:
 * "Pause camera" / "Resume camera", "Camera" (which capture device, shown when
 * there are several), "Quality" (High only where the camera captures 1080p,
 * or does not say), "Torch" (a switch) and "Zoom" (a slider), each shown only
 * where the camera's track offers it (`offer`: its last report). "Pause
 * camera" is left out without `mayPause` (in the viewer, for people whose
 * role lacks the `pause` permission: owners only). Fires
 * `controls-change` (`ControlsChangeEvent`) with what was changed.
 */
@customElement('pw-camera-controls')
export class PwCameraControls extends LitElement {
  static override styles = [
    uiStyles,
    switchStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
      }
      label.field {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
      }
    `,
  ];

  @property({ attribute: false }) controls: CameraControls | null = null;
  @property({ attribute: false }) offer: ControlOffer | null = null;
  /** False hides "Pause camera" / "Resume camera" (the camera itself always may). */
  @property({ attribute: false }) mayPause = true;
  /** True while a change is on its way: the controls wait. */
  @property({ type: Boolean }) busy = false;

  private change(change: OwnCameraControlsRequest): void {
    this.dispatchEvent(new ControlsChangeEvent(change));
  }

  override render() {
    const controls = this.controls;
    if (!controls) return nothing;
    const offer = this.offer;
    const paused = controls.paused !== null;
    const disabled = this.busy || paused;
    const sources = offer?.videoSources ?? [];
    const chosen = controls.videoSourceId ?? offer?.videoSourceId ?? '';
    const presets = (Object.keys(QUALITY_LABELS) as QualityPreset[]).filter(
      (preset) => preset !== 'high' || offer?.maxHeight == null || offer.maxHeight >= HIGH_HEIGHT || controls.quality === 'high',
    );
    return html`
      ${this.mayPause
        ? html`<button ?disabled=${this.busy} @click=${() => this.change({ paused: !paused })}>
            ${paused ? 'Resume camera' : 'Pause camera'}
          </button>`
        : nothing}
      ${sources.length > 1
        ? html`<label class="field"
            >Camera
            <select ?disabled=${disabled} @change=${(e: Event) => this.change({ videoSourceId: (e.target as HTMLSelectElement).value })}>
              ${sources.map(
                (source, i) => html`<option value=${source.id} ?selected=${source.id === chosen}>${source.label || `Camera ${i + 1}`}</option>`,
              )}
            </select></label
          >`
        : nothing}
      <label class="field"
        >Quality
        <select
          ?disabled=${disabled}
          @change=${(e: Event) => this.change({ quality: (e.target as HTMLSelectElement).value as QualityPreset })}
        >
          ${presets.map((preset) => html`<option value=${preset} ?selected=${preset === controls.quality}>${QUALITY_LABELS[preset]}</option>`)}
        </select></label
      >
      ${offer?.torch
        ? html`<label class="switch">
            <input
              type="checkbox"
              role="switch"
              .checked=${controls.torch}
              ?disabled=${disabled}
              @change=${(e: Event) => this.change({ torch: (e.target as HTMLInputElement).checked })}
            />
            <span>Torch</span>
          </label>`
        : nothing}
      ${offer?.zoom
        ? html`<label class="field"
            >Zoom
            <input
              type="range"
              min=${offer.zoom.min}
              max=${offer.zoom.max}
              step=${offer.zoom.step || 'any'}
              .value=${String(controls.zoom ?? offer.zoom.min)}
              ?disabled=${disabled}
              @change=${(e: Event) => this.change({ zoom: Number((e.target as HTMLInputElement).value) })}
          /></label>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-camera-controls': PwCameraControls;
  }
}
