import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { batteryAlarm, batteryAlarmText } from '../../protocol/battery-alarm.js';
import type { CameraReport } from '../../protocol/index.js';

/**
 * A camera's battery as its last report says (nothing where the camera's
 * browser has no Battery Status API): an icon filled to the level, the level
 * in %, "charging", and a warning (role alert) when the camera runs on its
 * battery below 20 % or has not been charging for more than 10 min
 * (`batteryAlarm`, the rule the server's notification follows too). Its surroundings style it (the
 * live tile draws it as one of its chips; `--pw-battery-low` colours the
 * warning, light red by default for a dark background).
 */
@customElement('pw-battery-status')
export class PwBatteryStatus extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 0.35rem;
    }
    :host([hidden]) {
      display: none;
    }
    .low {
      color: var(--pw-battery-low, #ffb4a8);
    }
    svg {
      width: 1.4em;
      height: 0.8em;
    }
  `;

  @property({ attribute: false }) report: CameraReport | null = null;

  override updated(): void {
    this.hidden = !this.report?.battery;
  }

  override render() {
    const battery = this.report?.battery;
    if (!battery) return nothing;
    const percent = Math.round(battery.level * 100);
    const alarm = batteryAlarm(battery);
    const low = alarm?.kind === 'low';
    const label = `Battery ${percent} %${battery.charging ? ', charging' : ''}`;
    const warning = alarm ? batteryAlarmText(alarm) : null;
    return html`<span role="img" aria-label=${label}>${batteryIcon(battery.level, low)}</span>
      <span aria-hidden="true">${percent} %${battery.charging ? ' ⚡' : ''}</span>
      ${warning ? html`<span class="low" role="alert">${warning}</span>` : nothing}`;
  }
}

/** A battery outline filled to `level` (0–1), red when low. */
function batteryIcon(level: number, low: boolean) {
  const width = Math.max(1, Math.round(level * 20));
  return svg`<svg viewBox="0 0 26 14" aria-hidden="true">
    <rect x="0.5" y="0.5" width="22" height="13" rx="2" fill="none" stroke="currentColor" />
    <rect x="23" y="4" width="2.5" height="6" rx="1" fill="currentColor" />
    <rect x="1.5" y="1.5" width=${width} height="11" rx="1" fill=${low ? '#e5484d' : 'currentColor'} />
  </svg>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-battery-status': PwBatteryStatus;
  }
}
