import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Device, RecordingProblem, RecordingState } from '../../../protocol/index.js';
import { messageOf } from '../../app/error-message.js';
import { switchStyles } from '../../app/switch-styles.js';
import { uiStyles } from '../../app/ui-styles.js';
import { WhileConnected } from '../../shared/while-connected.js';
import type { RecordingStates } from './recording-states.js';

/**
 * A camera's "Record" switch on the viewer (role switch): sets the household's
 * wish, and says what the camera does ("Recording" / "Not recording") and,
 * when the two differ, that the camera is about to follow or will follow
 * when it is back online.
 */
@customElement('pw-record-switch')
export class PwRecordSwitch extends LitElement {
  static override styles = [
    uiStyles,
    switchStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.25rem 1rem;
      }
      .state {
        font-size: 0.92rem;
        color: var(--pw-muted);
      }
      .state.on {
        color: var(--pw-live);
        font-weight: 650;
      }
    `,
  ];

  @property({ attribute: false }) states!: RecordingStates;
  @property({ attribute: false }) device!: Device;

  @state() private busy = false;
  @state() private problem = '';

  constructor() {
    super();
    new WhileConnected(this, () => this.states.on('change', () => this.requestUpdate()));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.states.ensure(this.device.id);
  }

  private async toggle(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    this.busy = true;
    this.problem = '';
    try {
      await this.states.setEnabled(this.device.id, input.checked);
    } catch (error) {
      input.checked = !input.checked;
      this.problem = messageOf(error, 'The camera could not be switched.');
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const current = this.states.get(this.device.id);
    return html`
      <label class="switch">
        <input
          type="checkbox"
          role="switch"
          .checked=${current?.enabled ?? false}
          ?disabled=${!current || this.busy}
          @change=${this.toggle}
        />
        <span>Record</span>
      </label>
      ${current
        ? html`<span class="state ${current.recording ? 'on' : ''}" role="status">
            ${recordingText(current, this.device.online)}
          </span>`
        : nothing}
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
    `;
  }
}

/** Why a camera asked to record does not, as viewers read it (`RecordingProblem`). */
export const PROBLEM_TEXT: Record<RecordingProblem, string> = {
  'storage-low': 'the camera is almost out of storage; it records again once uploads have made room',
  'cannot-record': 'this camera’s browser cannot record; use Chrome, Edge, Firefox or Safari on it',
  'recorder-failed': 'recording failed on the camera; its screen says why',
  paused: 'the camera is paused; it records again once resumed',
};

/** What the camera does, and what it will do (or why it cannot) when it differs from the wish. */
export function recordingText(state: RecordingState, online: boolean): string {
  const doing = state.recording ? 'Recording' : 'Not recording';
  if (state.enabled === state.recording) return doing;
  if (state.enabled && state.problem && online) return `${doing} · ${PROBLEM_TEXT[state.problem]}`;
  if (!online) {
    return `${doing} · ${state.enabled ? 'starts' : 'stops'} recording when the camera is back online`;
  }
  return `${doing} · ${state.enabled ? 'starting' : 'stopping'}…`;
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-record-switch': PwRecordSwitch;
  }
}
