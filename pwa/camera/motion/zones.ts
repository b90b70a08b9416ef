/** A point in normalised picture coordinates: 0..1 from the left and from the top edge. */
export interface ZonePoint {
  x: number;
  y: number;
}

/**
 * A zone the household draws on the camera's picture: a polygon in
 * normalised coordinates. `ignore` zones (a tree, a TV, the street) are never
 * analysed; where there are `only` zones, nothing outside them is analysed.
 */
export interface Zone {
  kind: 'ignore' | 'only';
  points: ZonePoint[];
}

/**
 * Checks zones as they come from settings.
 * @throws RangeError naming the zone when it has fewer than 3 points or a coordinate outside 0..1
 */
export function assertZones(zones: readonly Zone[]): void {
  zones.forEach((zone, index) => {
    if (zone.kind !== 'ignore' && zone.kind !== 'only') {
      throw new RangeError(`zone ${index}: kind must be "ignore" or "only", got ${String(zone.kind)}`);
    }
    if (!Array.isArray(zone.points) || zone.points.length < 3) {
      throw new RangeError(`zone ${index}: a polygon needs at least 3 points`);
    }
    for (const { x, y } of zone.points) {
      if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
        throw new RangeError(`zone ${index}: point (${x}, ${y}) is outside 0..1`);
      }
    }
  });
}

/**
 * Rasterises zones into a `width × height` mask: 1 where a pixel is
 * analysed, 0 where it is not. A pixel counts as inside a polygon when its
 * centre is (even–odd rule). With no zones every pixel is analysed.
 * @throws RangeError as `assertZones`
 */
export function rasteriseZones(zones: readonly Zone[], width: number, height: number): Uint8Array {
  assertZones(zones);
  const onlyZones = zones.filter((zone) => zone.kind === 'only');
  const ignoreZones = zones.filter((zone) => zone.kind === 'ignore');
  const mask = new Uint8Array(width * height).fill(onlyZones.length ? 0 : 1);
  for (const zone of onlyZones) fillPolygon(mask, width, height, zone.points, 1);
  for (const zone of ignoreZones) fillPolygon(mask, width, height, zone.points, 0);
  return mask;
}

/** Sets every pixel whose centre lies inside `points` (even–odd rule) to `value`, one scanline at a time. */
function fillPolygon(mask: Uint8Array, width: number, height: number, points: readonly ZonePoint[], value: 0 | 1): void {
  const crossings: number[] = [];
  for (let y = 0; y < height; y++) {
    const cy = (y + 0.5) / height;
    crossings.length = 0;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const a = points[i]!;
      const b = points[j]!;
      if (a.y > cy !== b.y > cy) crossings.push(a.x + ((cy - a.y) * (b.x - a.x)) / (b.y - a.y));
    }
    crossings.sort((p, q) => p - q);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // Pixel x is inside when its centre (x + 0.5) / width lies between the two crossings.
      const from = Math.max(0, Math.ceil(crossings[k]! * width - 0.5));
      const to = Math.min(width - 1, Math.floor(crossings[k + 1]! * width - 0.5));
      for (let x = from; x <= to; x++) mask[y * width + x] = value;
    }
  }
}
