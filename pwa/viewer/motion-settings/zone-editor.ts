import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ZoneSetting } from '../../../protocol/index.js';
import { MAX_ZONES } from '../../../protocol/camera-settings-limits.js';
import { uiStyles } from '../../app/ui-styles.js';
import { moveCorner, movePolygon, pointIn, svgPoints, type ZonePoint } from './zone-geometry.js';

type ZoneKind = ZoneSetting['kind'];

const KIND_NAMES: Record<ZoneKind, string> = { ignore: 'Ignore zone', only: 'Only-here zone' };

/**
 * What the editor is doing: nothing; drawing a new zone (`points` so far); or
 * dragging zone `index` by the pointer `pointerId`: the whole zone from
 * `from` (`corner` null) or one corner, `original` its points when the drag began.
 */
type EditorMode =
  | { kind: 'idle' }
  | { kind: 'drawing'; zoneKind: ZoneKind; points: ZonePoint[] }
  | { kind: 'dragging'; index: number; corner: number | null; from: ZonePoint; original: ZonePoint[]; pointerId: number };

/** Sent by `pw-zone-editor` when the zones changed (a zone drawn, moved, reshaped or deleted). */
export class ZonesChangeEvent extends Event {
  constructor(readonly zones: ZoneSetting[]) {
    super('zones-change');
  }
}

/**
 * Draws, moves and deletes zones (polygons in normalised coordinates) over
 * a picture of the camera, with pointer events so mouse, pen and touch all
 * work (W3C Pointer Events; `touch-action: none` on the drawing, pointer
 * capture while dragging). "Draw ignore zone" / "Draw only-here zone", then a
 * tap per corner and "Finish zone"; drag a zone to move it, drag a selected
 * zone's corner to reshape it; each zone is listed with its "Delete" button,
 * so the zones can be removed with a keyboard too. Fires `zones-change`
 * (`ZonesChangeEvent`) after each change; `zones` is the caller's to update.
 */
@customElement('pw-zone-editor')
export class PwZoneEditor extends LitElement {
  static override styles = [
    uiStyles,
    css`
      :host {
        display: grid;
        gap: 0.6rem;
      }
      .picture {
        position: relative;
        aspect-ratio: 4 / 3;
        background: #1b1f24;
        border-radius: 0.5rem;
        overflow: hidden;
      }
      .picture img {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        object-fit: fill;
      }
      svg {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        touch-action: none;
        cursor: crosshair;
      }
      polygon {
        stroke-width: 2;
        cursor: move;
      }
      .ignore {
        fill: rgb(220 40 40 / 0.3);
        stroke: rgb(240 80 80);
      }
      .only {
        fill: rgb(40 160 80 / 0.3);
        stroke: rgb(80 210 120);
      }
      .selected {
        stroke: #fff;
        stroke-width: 3;
      }
      .draft {
        fill: rgb(255 255 255 / 0.15);
        stroke: #fff;
        stroke-dasharray: 4 3;
      }
      .handle {
        fill: #fff;
        stroke: #000;
        stroke-width: 1;
        cursor: grab;
      }
      ol {
        margin: 0;
        padding-left: 1.2rem;
        display: grid;
        gap: 0.3rem;
      }
      .note {
        position: absolute;
        inset: auto 0 0 0;
        margin: 0;
        padding: 0.4rem 0.6rem;
        background: rgb(0 0 0 / 0.6);
        color: #fff;
        font-size: 0.9rem;
      }
    `,
  ];

  @property({ attribute: false }) zones: ZoneSetting[] = [];
  /** The picture to draw on (a current snapshot of the camera), or null for none. */
  @property({ attribute: false }) picture: string | null = null;
  /** Said over the drawing while there is no picture (why not). */
  @property() pictureNote = '';
  /** Names the drawing for assistive technology, e.g. the camera's name. */
  @property() cameraName = '';

  @state() private mode: EditorMode = { kind: 'idle' };
  @state() private selected: number | null = null;
  /** Zones while a drag goes on (shown; sent once the drag ends). */
  @state() private dragged: ZoneSetting[] | null = null;
  @query('svg') private drawing!: SVGSVGElement;

  private pointAt(event: PointerEvent): ZonePoint {
    return pointIn(this.drawing.getBoundingClientRect(), event.clientX, event.clientY);
  }

  private changed(zones: ZoneSetting[]): void {
    this.dispatchEvent(new ZonesChangeEvent(zones));
  }

  private onBackground(event: PointerEvent): void {
    if (this.mode.kind === 'drawing') {
      this.mode = { ...this.mode, points: [...this.mode.points, this.pointAt(event)] };
    } else {
      this.selected = null;
    }
  }

  private startDrag(event: PointerEvent, index: number, corner: number | null): void {
    if (this.mode.kind === 'drawing') return;
    event.stopPropagation();
    this.drawing.setPointerCapture(event.pointerId);
    this.selected = index;
    const original = this.zones[index]!.points;
    this.mode = { kind: 'dragging', index, corner, from: this.pointAt(event), original, pointerId: event.pointerId };
  }

  private onMove(event: PointerEvent): void {
    const mode = this.mode;
    if (mode.kind !== 'dragging' || event.pointerId !== mode.pointerId) return;
    const at = this.pointAt(event);
    const points =
      mode.corner === null
        ? movePolygon(mode.original, at.x - mode.from.x, at.y - mode.from.y)
        : moveCorner(mode.original, mode.corner, at);
    this.dragged = this.zones.map((zone, i) => (i === mode.index ? { ...zone, points } : zone));
  }

  private endDrag(event: PointerEvent): void {
    const mode = this.mode;
    if (mode.kind !== 'dragging' || event.pointerId !== mode.pointerId) return;
    const dragged = this.dragged;
    this.mode = { kind: 'idle' };
    this.dragged = null;
    if (dragged) this.changed(dragged);
  }

  private finishZone(): void {
    const mode = this.mode;
    if (mode.kind !== 'drawing' || mode.points.length < 3) return;
    this.mode = { kind: 'idle' };
    this.selected = this.zones.length;
    this.changed([...this.zones, { kind: mode.zoneKind, points: mode.points }]);
  }

  private deleteZone(index: number): void {
    this.selected = null;
    this.changed(this.zones.filter((_, i) => i !== index));
  }

  override render() {
    const zones = this.dragged ?? this.zones;
    const mode = this.mode;
    const drawing = mode.kind === 'drawing';
    return html`
      <div class="row">
        ${drawing
          ? html`<button class="primary" ?disabled=${mode.points.length < 3} @click=${this.finishZone}>Finish zone</button>
              <button @click=${() => (this.mode = { kind: 'idle' })}>Cancel zone</button>
              <span class="muted" role="status">${mode.points.length} corners: tap the picture for each corner.</span>`
          : html`<button ?disabled=${zones.length >= MAX_ZONES} @click=${() => (this.mode = { kind: 'drawing', zoneKind: 'ignore', points: [] })}>
                Draw ignore zone
              </button>
              <button ?disabled=${zones.length >= MAX_ZONES} @click=${() => (this.mode = { kind: 'drawing', zoneKind: 'only', points: [] })}>
                Draw only-here zone
              </button>`}
      </div>
      <div class="picture">
        ${this.picture ? html`<img src=${this.picture} alt="Current snapshot: ${this.cameraName}" />` : nothing}
        <svg
          viewBox="0 0 1 1"
          preserveAspectRatio="none"
          role="group"
          aria-label="Zones on the picture: ${this.cameraName}"
          @pointerdown=${this.onBackground}
          @pointermove=${this.onMove}
          @pointerup=${this.endDrag}
          @pointercancel=${this.endDrag}
        >
          ${zones.map(
            (zone, index) => svg`<polygon
              class="${zone.kind} ${this.selected === index ? 'selected' : ''}"
              points=${svgPoints(zone.points)}
              vector-effect="non-scaling-stroke"
              aria-label="${KIND_NAMES[zone.kind]} ${index + 1}"
              @pointerdown=${(event: PointerEvent) => this.startDrag(event, index, null)}
            ></polygon>`,
          )}
          ${this.selected !== null && zones[this.selected] && !drawing ? this.renderHandles(zones[this.selected]!, this.selected) : nothing}
          ${drawing && mode.points.length > 0
            ? svg`<polyline class="draft" points=${svgPoints(mode.points)} vector-effect="non-scaling-stroke"></polyline>`
            : nothing}
        </svg>
        ${this.picture ? nothing : html`<p class="note">${this.pictureNote} Zones can still be drawn.</p>`}
      </div>
      ${zones.length === 0
        ? html`<p class="muted">No zones: the whole picture is watched.</p>`
        : html`<ol aria-label="Zones">
            ${zones.map(
              (zone, index) => html`<li>
                ${KIND_NAMES[zone.kind]} ${index + 1}
                <button aria-label="Delete ${KIND_NAMES[zone.kind].toLowerCase()} ${index + 1}" @click=${() => this.deleteZone(index)}>
                  Delete
                </button>
              </li>`,
            )}
          </ol>`}
    `;
  }

  private renderHandles(zone: ZoneSetting, index: number) {
    return zone.points.map(
      (point, corner) => svg`<ellipse
        class="handle"
        cx=${point.x}
        cy=${point.y}
        rx="0.015"
        ry="0.02"
        vector-effect="non-scaling-stroke"
        aria-label="Corner ${corner + 1} of ${KIND_NAMES[zone.kind].toLowerCase()} ${index + 1}"
        @pointerdown=${(event: PointerEvent) => this.startDrag(event, index, corner)}
      ></ellipse>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-zone-editor': PwZoneEditor;
  }
}
