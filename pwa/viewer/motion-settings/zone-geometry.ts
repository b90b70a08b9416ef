import type { ZoneSetting } from '../../../protocol/index.js';

/** A point in normalised picture coordinates (0..1 from the left and the top). */
export type ZonePoint = ZoneSetting['points'][number];

const clamp = (value: number) => Math.min(1, Math.max(0, value));

/** Rounds to 4 decimals (a tenth of a pixel at 1000 px), so stored zones stay short. */
const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** Where a pointer is on an element, normalised to its box and clamped to 0..1. */
export function pointIn(box: Pick<DOMRect, 'left' | 'top' | 'width' | 'height'>, clientX: number, clientY: number): ZonePoint {
  return {
    x: round(clamp((clientX - box.left) / box.width)),
    y: round(clamp((clientY - box.top) / box.height)),
  };
}

/**
 * `points` moved by (dx, dy), normalised; the shift is limited so that the
 * whole polygon stays inside the picture (its shape never changes).
 */
export function movePolygon(points: readonly ZonePoint[], dx: number, dy: number): ZonePoint[] {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const sx = Math.min(Math.max(dx, -Math.min(...xs)), 1 - Math.max(...xs));
  const sy = Math.min(Math.max(dy, -Math.min(...ys)), 1 - Math.max(...ys));
  return points.map((p) => ({ x: round(p.x + sx), y: round(p.y + sy) }));
}

/** `points` with corner `index` put at `to` (clamped to the picture). */
export function moveCorner(points: readonly ZonePoint[], index: number, to: ZonePoint): ZonePoint[] {
  return points.map((p, i) => (i === index ? { x: round(clamp(to.x)), y: round(clamp(to.y)) } : p));
}

/** The `points` attribute of an SVG polygon in the 0..1 view box. */
export const svgPoints = (points: readonly ZonePoint[]) => points.map((p) => `${p.x},${p.y}`).join(' ');
