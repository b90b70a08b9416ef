/** A group of changed pixels that touch (after a 3×3 dilation), in analysis-frame pixels. */
export interface Blob {
  /** Changed pixels in the blob (not counting the dilation), pixels. */
  pixels: number;
  left: number;
  top: number;
  /** Exclusive right and bottom edges. */
  right: number;
  bottom: number;
}

/**
 * Finds the blobs of a `width × height` binary picture (`changed`, 1 =
 * changed): pixels are joined when they are at most two pixels apart
 * (about what the 3×3 dilation Frigate applies before looking for contours
 * joins, so a person's broken outline forms one blob), but each blob counts
 * only its changed pixels. `labels` (Int32Array, same size) is scratch space.
 */
export function findBlobs(changed: Uint8Array, width: number, height: number, labels: Int32Array): Blob[] {
  labels.fill(-1);
  const blobs: Blob[] = [];
  const stack: number[] = [];
  for (let start = 0; start < changed.length; start++) {
    if (changed[start] === 0 || labels[start] !== -1) continue;
    const blob: Blob = { pixels: 0, left: width, top: height, right: 0, bottom: 0 };
    const label = blobs.length;
    labels[start] = label;
    stack.push(start);
    while (stack.length) {
      const at = stack.pop()!;
      const x = at % width;
      const y = (at - x) / width;
      blob.pixels++;
      if (x < blob.left) blob.left = x;
      if (y < blob.top) blob.top = y;
      if (x + 1 > blob.right) blob.right = x + 1;
      if (y + 1 > blob.bottom) blob.bottom = y + 1;
      for (let dy = -2; dy <= 2; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -2; dx <= 2; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const next = ny * width + nx;
          if (changed[next] === 1 && labels[next] === -1) {
            labels[next] = label;
            stack.push(next);
          }
        }
      }
    }
    blobs.push(blob);
  }
  return blobs;
}
