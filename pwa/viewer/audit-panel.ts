import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AuditEvent, AuditFilter, AuditKind, AuditPage, Member } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import { messageOf } from '../app/error-message.js';
import { loadOrFail, type Loadable } from '../app/loadable.js';
import { panelStyles, uiStyles } from '../app/ui-styles.js';
import { log } from '../shared/logger.js';
import type { DeviceDirectory } from './device-directory.js';
import { formatDateTime, formatDuration } from './recordings/time-format.js';

/** What each kind of row says happened. */
const KIND_TEXT: Record<AuditKind, string> = {
  'sign-in': 'Signed in',
  'sign-in-failed': 'Sign-in failed',
  'live-view-started': 'Started watching live',
  'live-view-ended': 'Stopped watching live',
  'recording-played': 'Played a recording',
  'recording-downloaded': 'Downloaded a recording',
  'event-opened': 'Opened an event',
  'camera-paired': 'Camera paired',
  'camera-renamed': 'Renamed a camera',
  'camera-removed': 'Removed a camera',
  'camera-settings-changed': 'Changed camera settings',
  'camera-controls-changed': 'Changed camera controls',
  'recording-mode-changed': 'Switched recording',
  'member-changed': 'Changed a member',
  'member-removed': 'Removed a member',
  'member-left': 'Left the household',
  'invite-created': 'Created an invitation',
  'invite-accepted': 'Joined by invitation',
  'invite-revoked': 'Revoked an invitation',
  'token-created': 'Created an API token',
  'token-used': 'Used an API token',
  'token-revoked': 'Revoked an API token',
};

/** What a row says happened: its kind's text, and for the Record switch which way it went. */
function whatOf(event: AuditEvent): string {
  const record = event.details.record;
  if (event.kind === 'recording-mode-changed' && typeof record === 'boolean') return `Switched recording ${record ? 'on' : 'off'}`;
  return KIND_TEXT[event.kind];
}


/** The start (00:00) of a `yyyy-mm-dd` day in the viewer's time zone, ms since the epoch; undefined for ''. */
function dayStartMs(day: string): number | undefined {
  const [year, month, date] = day.split('-').map(Number);
  return year && month && date ? new Date(year, month - 1, date).getTime() : undefined;
}

/**
 * "Audit log" (owners only; the server refuses anyone else): the household's
 * rows (`GET /api/audit`), newest first, filtered by person, camera, kind and
 * a from/to day; each row shows its time, person, what happened, camera and
 * (for a live view) duration. "Load more" fetches the next, older page;
 * "Export CSV" downloads `GET /api/audit.csv` with the same filters, fetched
 * with the signed-in credential (like recording media) and saved through a
 * download link. Fires `close`.
 */
@customElement('pw-audit-panel')
export class PwAuditPanel extends LitElement {
  static override styles = [
    uiStyles,
    panelStyles,
    css`
      .filters label {
        display: grid;
        gap: 0.25rem;
        font-size: 0.85rem;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 0.9rem;
      }
      th,
      td {
        text-align: left;
        padding: 0.4rem 0.5rem;
        border-bottom: 1px solid var(--pw-border);
        vertical-align: top;
      }
      .scroll {
        overflow-x: auto;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) directory!: DeviceDirectory;

  @state() private rows: Loadable<AuditPage> = { kind: 'loading' };
  @state() private people: Member[] = [];
  @state() private filter: AuditFilter = {};
  @state() private fromDay = '';
  @state() private toDay = '';
  @state() private problem = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadPeople();
    void this.load();
  }

  private async loadPeople(): Promise<void> {
    try {
      this.people = await this.api.call('GET /api/members', {});
    } catch (error) {
      // The person filter then offers only "Everyone"; the log itself still loads.
      log.warn('audit log: the members could not be loaded', error);
    }
  }

  /** Loads the newest page of the current filter. */
  private async load(): Promise<void> {
    const filter = this.filter;
    this.rows = { kind: 'loading' };
    const rows = await loadOrFail(() => this.api.auditPage(filter), 'The audit log could not be loaded.');
    if (filter === this.filter) this.rows = rows;
  }

  private async loadMore(): Promise<void> {
    const rows = this.rows;
    if (rows.kind !== 'loaded' || !rows.value.nextCursor) return;
    const filter = this.filter;
    try {
      const page = await this.api.auditPage(filter, rows.value.nextCursor);
      if (filter === this.filter) this.rows = { kind: 'loaded', value: { events: [...rows.value.events, ...page.events], nextCursor: page.nextCursor } };
    } catch (error) {
      this.problem = messageOf(error, 'More rows could not be loaded.');
    }
  }

  private refilter(change: Partial<AuditFilter>): void {
    this.filter = { ...this.filter, ...change };
    void this.load();
  }

  /** A from or to day changed: the filter covers whole days, from 00:00 of the first to the end of the last. */
  private setDays(fromDay: string, toDay: string): void {
    this.fromDay = fromDay;
    this.toDay = toDay;
    const toStart = dayStartMs(toDay);
    this.refilter({ fromMs: dayStartMs(fromDay), toMs: toStart === undefined ? undefined : toStart + 86_400_000 - 1 });
  }

  /** Saves the rows of the current filter as a CSV file. */
  private async exportCsv(): Promise<void> {
    this.problem = '';
    try {
      const url = URL.createObjectURL(await this.api.auditCsv(this.filter));
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = `peerwatch-audit-${new Date().toISOString().slice(0, 10)}.csv`;
      anchor.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      this.problem = messageOf(error, 'The audit log could not be exported.');
    }
  }

  override render() {
    return html`<section class="card" aria-labelledby="audit-title">
      <div class="head">
        <h2 id="audit-title">Audit log</h2>
        <div class="row">
          <button @click=${() => void this.exportCsv()}>Export CSV</button>
          <button @click=${() => this.dispatchEvent(new Event('close'))}>Close</button>
        </div>
      </div>
      ${this.renderFilters()} ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing} ${this.renderRows()}
    </section>`;
  }

  private renderFilters() {
    const { personId, deviceId, kind } = this.filter;
    const value = (event: Event) => (event.target as HTMLSelectElement | HTMLInputElement).value;
    return html`<div class="row filters">
      <label
        >Person
        <select aria-label="Person" @change=${(e: Event) => this.refilter({ personId: value(e) || undefined })}>
          <option value="" ?selected=${!personId}>Everyone</option>
          ${this.people.map((p) => html`<option value=${p.userId} ?selected=${personId === p.userId}>${p.email}</option>`)}
        </select>
      </label>
      <label
        >Camera
        <select aria-label="Camera" @change=${(e: Event) => this.refilter({ deviceId: value(e) || undefined })}>
          <option value="" ?selected=${!deviceId}>All cameras</option>
          ${this.directory.list.map((d) => html`<option value=${d.id} ?selected=${deviceId === d.id}>${d.name}</option>`)}
        </select>
      </label>
      <label
        >What
        <select aria-label="What" @change=${(e: Event) => this.refilter({ kind: (value(e) || undefined) as AuditKind | undefined })}>
          <option value="" ?selected=${!kind}>Everything</option>
          ${(Object.keys(KIND_TEXT) as AuditKind[]).map((k) => html`<option value=${k} ?selected=${kind === k}>${KIND_TEXT[k]}</option>`)}
        </select>
      </label>
      <label
        >From
        <input type="date" aria-label="From" .value=${this.fromDay} @change=${(e: Event) => this.setDays(value(e), this.toDay)} />
      </label>
      <label
        >To
        <input type="date" aria-label="To" .value=${this.toDay} @change=${(e: Event) => this.setDays(this.fromDay, value(e))} />
      </label>
    </div>`;
  }

  private renderRows() {
    const rows = this.rows;
    if (rows.kind === 'loading') return html`<p class="muted" role="status">Loading the audit log…</p>`;
    if (rows.kind === 'failed') return html`<p class="error" role="alert">${rows.message}</p>`;
    if (rows.value.events.length === 0) return html`<p class="muted">Nothing logged matches these filters.</p>`;
    return html`<div class="scroll">
        <table aria-label="Audit log">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Person</th>
              <th scope="col">What</th>
              <th scope="col">Camera</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            ${rows.value.events.map(
              (event) => html`<tr>
                <td>${formatDateTime(event.atMs)}</td>
                <td>${this.personOf(event)}</td>
                <td>${whatOf(event)}</td>
                <td>${this.cameraOf(event)}</td>
                <td>${typeof event.details.durationMs === 'number' ? formatDuration(event.details.durationMs) : ''}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${rows.value.nextCursor ? html`<div class="row"><button @click=${() => void this.loadMore()}>Load more</button></div>` : nothing}`;
  }

  private personOf(event: AuditEvent): string {
    const { actor } = event;
    if (actor.kind === 'device') return 'The camera';
    const who = actor.email ?? 'Someone';
    return actor.kind === 'token' ? `${who} (API token)` : who;
  }

  /** The camera's name now, else as it was when the row was written. */
  private cameraOf(event: AuditEvent): string {
    if (!event.deviceId) return '';
    const named = event.details.cameraName;
    return this.directory.get(event.deviceId)?.name ?? (typeof named === 'string' ? named : 'A removed camera');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-audit-panel': PwAuditPanel;
  }
}
