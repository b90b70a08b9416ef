/** Size and frame rate of the benchmark camera source. */
export interface TimeCodeSourceSettings {
  width: number;
  height: number;
  /** Frames painted per second. */
  fps: number;
}

/**
 * Init script for the bench's camera page (`addInitScript(installTimeCodeSource, settings)`):
 * replaces `navigator.mediaDevices.getUserMedia` so that the page's camera is
 * a canvas (`canvas.captureStream(fps)`) that paints, `fps` times a second, the
 * time of painting (`performance.timeOrigin + performance.now()`, ms) as a
 * time code, above a moving bar so the rest of the frame changes too.
 *
 * The time code: a grid of 16 × 4 square cells across the top of the frame
 * (cell side = width / 16), black for 1 and white for 0, row by row: 48 bits
 * of the time (ms since the Unix epoch, most significant bit first), then a
 * 16-bit check word (high16 ^ mid16 ^ low16 ^ 0x5a5a). Cells that big survive
 * VP8/H.264 compression at the bitrates WebRTC picks.
 * Audio, when asked for, still comes from the browser's own (fake) device.
 * Only the bench installs it; the app is not changed. Runs in the browser:
 * it uses nothing from its module scope but its argument.
 */
export function installTimeCodeSource(settings: TimeCodeSourceSettings): void {
  const columns = 16;
  const rows = 4;
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  let video: MediaStreamTrack | undefined;
  const startCanvas = (): MediaStreamTrack => {
    const canvas = document.createElement('canvas');
    canvas.width = settings.width;
    canvas.height = settings.height;
    const context = canvas.getContext('2d')!;
    const cell = settings.width / columns;
    const paint = () => {
      const nowMs = Math.round(performance.timeOrigin + performance.now());
      const high = Math.floor(nowMs / 2 ** 32);
      const low = nowMs % 2 ** 32;
      const check = (high ^ (low >>> 16) ^ (low & 0xffff) ^ 0x5a5a) & 0xffff;
      const bits: number[] = [];
      for (let i = 15; i >= 0; i--) bits.push((high >>> i) & 1);
      for (let i = 31; i >= 0; i--) bits.push(Math.floor(low / 2 ** i) & 1);
      for (let i = 15; i >= 0; i--) bits.push((check >>> i) & 1);
      context.fillStyle = '#808080';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.fillStyle = '#3060c0';
      context.fillRect(((nowMs / 10) % canvas.width) - 40, cell * rows, 80, canvas.height - cell * rows);
      bits.forEach((bit, i) => {
        context.fillStyle = bit ? '#000' : '#fff';
        context.fillRect((i % columns) * cell, Math.floor(i / columns) * cell, cell, cell);
      });
    };
    paint();
    setInterval(paint, 1_000 / settings.fps);
    return canvas.captureStream(settings.fps).getVideoTracks()[0]!;
  };
  navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    if (!constraints?.video) return original(constraints);
    video ??= startCanvas();
    const tracks = [video.clone()];
    if (constraints.audio) tracks.push(...(await original({ audio: constraints.audio })).getAudioTracks());
    return new MediaStream(tracks);
  };
}
