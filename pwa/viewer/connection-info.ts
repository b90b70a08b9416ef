import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { connectionStatsFrom, statsParts, type ConnectionStats, type StatsEntry } from './connection-stats.js';
import { log } from '../shared/logger.js';

/** How often the stats are read while shown, ms. */
const POLL_INTERVAL_MS = 1_000;

/**
 * A live tile's connection row: "Connection: Direct" or "Connection: Relayed"
 * (a status region, announced when it changes) and the picture's size, frame
 * rate, bitrate and round-trip time, read from `peerConnection.getStats()`
 * every 1 000 ms while the element is on the page.
 */
@customElement('pw-connection-info')
export class PwConnectionInfo extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 0.75rem;
      font-size: 0.8rem;
      font-variant-numeric: tabular-nums;
    }
    [role='status'] {
      font-weight: 650;
    }
  `;

  @property({ attribute: false }) peerConnection: RTCPeerConnection | null = null;
  @state() private stats: ConnectionStats | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => void this.sample(), POLL_INTERVAL_MS);
    void this.sample();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('peerConnection')) this.stats = null;
  }

  private async sample(): Promise<void> {
    const pc = this.peerConnection;
    const report = await pc?.getStats().catch((error: unknown) => {
      // The row keeps its last figures; the next sample tries again.
      log.debug('connection info: getStats failed', error);
      return null;
    });
    if (!report || pc !== this.peerConnection) return;
    this.stats = connectionStatsFrom(report.values() as Iterable<StatsEntry>, this.stats);
  }

  override render() {
    const path = this.stats?.path;
    const label = path === 'relayed' ? 'Relayed' : path === 'direct' ? 'Direct' : 'Checking…';
    return html`<span role="status">Connection: ${label}</span>
      ${this.stats ? statsParts(this.stats).map((part) => html`<span>${part}</span>`) : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-connection-info': PwConnectionInfo;
  }
}
