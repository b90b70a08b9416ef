/**
 * Saves the frame a video element shows now as a PNG download named
 * `<baseName>-<local date and time>.png`, at the video's own resolution.
 * @throws Error when the video has no frame yet
 */
export async function downloadSnapshot(video: HTMLVideoElement, baseName: string): Promise<void> {
  const canvas = frameCanvas(video);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('The snapshot could not be made.');
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${fileSafe(baseName)}-${timestamp(new Date())}.png`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * A canvas holding the frame a video element shows now, at the video's own
 * resolution (`videoWidth` × `videoHeight` pixels).
 * @throws Error when the video has no frame yet, or the browser has no 2D canvas
 */
export function frameCanvas(video: HTMLVideoElement): HTMLCanvasElement {
  if (video.videoWidth === 0 || video.videoHeight === 0) throw new Error('There is no picture to save yet.');
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot make snapshots.');
  context.drawImage(video, 0, 0, canvas.width, canvas.height);
  return canvas;
}

function fileSafe(name: string): string {
  return name.replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '') || 'snapshot';
}

function timestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}_${pad(date.getHours())}-${pad(date.getMinutes())}-${pad(date.getSeconds())}`;
}
