import { spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { GrayFrame } from '../../pwa/camera/motion/gray-frame.js';
import { FOOTAGE, ffmpeg, tempDir } from './media.js';

/**
 * Test footage with a known ground truth, made with ffmpeg from the shared
 * real footage (vtest.avi, people walking): still stretches are one frame of
 * it repeated, with sensor-like temporal Gaussian noise added at the full
 * 768×576 (ffmpeg `noise`, `allf=t`), so that nothing in them is motion.
 */

/** Where in vtest.avi the motion is taken from, s (people walk there throughout). */
const MOTION_FROM_S = 20;
/** Strength of the added noise (ffmpeg `noise` `alls`; about σ 6 gray levels at 768×576). */
const NOISE = 'noise=alls=18:allf=t';

/** A recipe for a clip: ffmpeg input arguments and a filter graph ending in `[out]`, and what is in it. */
export interface Footage {
  /** Names the cached files. */
  name: string;
  inputs: string[];
  /** Filter graph from input 0 to `[out]`, at 10 fps. */
  graph: string;
  durationS: number;
  /** When real motion is in it, ms from its start; null for none. */
  motion: { fromMs: number; toMs: number } | null;
}

/** The motion clip at 10 fps, its first frame held `stillS` before it and its last `afterS` after (a filter chain from input 0). */
const heldClip = (stillS: number, afterS: number) =>
  `[0:v]fps=10,tpad=start_mode=clone:start_duration=${stillS}:stop_mode=clone:stop_duration=${afterS}`;

/** `stillS` of a still frame with noise, `motionS` of real motion, `afterS` of the motion's last frame, still. */
export function stillMotionStill(stillS: number, motionS: number, afterS: number): Footage {
  return {
    name: `still${stillS}-motion${motionS}-still${afterS}`,
    inputs: ['-ss', String(MOTION_FROM_S), '-t', String(motionS), '-i', FOOTAGE],
    graph: `${heldClip(stillS, afterS)},${NOISE}[out]`,
    durationS: stillS + motionS + afterS,
    motion: { fromMs: stillS * 1000, toMs: (stillS + motionS) * 1000 },
  };
}

/** `seconds` of one still frame of the footage with sensor noise. */
export function stillWithNoise(seconds: number): Footage {
  return {
    name: `still${seconds}`,
    inputs: ['-ss', String(MOTION_FROM_S), '-i', FOOTAGE],
    graph: `[0:v]trim=end_frame=1,fps=10,tpad=stop_mode=clone:stop_duration=${seconds}[still];[still]trim=duration=${seconds},${NOISE}[out]`,
    durationS: seconds,
    motion: null,
  };
}

/** A still frame with noise whose brightness and contrast jump at `atS` (lights switched on) and stay. */
export function brightnessStep(seconds: number, atS: number): Footage {
  return {
    name: `lights${seconds}-at${atS}`,
    inputs: ['-ss', String(MOTION_FROM_S), '-i', FOOTAGE],
    graph:
      `[0:v]trim=end_frame=1,fps=10,tpad=stop_mode=clone:stop_duration=${seconds}[still];` +
      `[still]trim=duration=${seconds},eq=brightness=0.25:contrast=1.3:enable='gte(t,${atS})',${NOISE}[out]`,
    durationS: seconds,
    motion: null,
  };
}

/**
 * Small motion: the still→motion→still clip shrunk to a fifth (people a few
 * pixels tall) and laid over the still frame's lower right, like people far
 * away from the camera.
 */
export function smallMotion(stillS: number, motionS: number, afterS: number): Footage {
  return {
    ...stillMotionStill(stillS, motionS, afterS),
    name: `small-${stillMotionStill(stillS, motionS, afterS).name}`,
    graph:
      `${heldClip(stillS, afterS)},split[a][b];` +
      `[a]trim=end_frame=1,loop=loop=-1:size=1,setpts=N/10/TB[bg];` +
      `[b]scale=iw/5:-2[small];` +
      `[bg][small]overlay=x=W*0.7:y=H*0.7:shortest=1,${NOISE}[out]`,
  };
}

/**
 * A tree in the wind in the picture's lower left corner (a fifth of it each
 * way), where nobody walks: the still→motion→still clip with a patch of
 * textured picture (a crop of the footage's first frame, contrast raised)
 * that sways by up to 20 px every frame throughout.
 */
export function swayingTree(stillS: number, motionS: number, afterS: number): Footage {
  return {
    ...stillMotionStill(stillS, motionS, afterS),
    name: `tree-${stillMotionStill(stillS, motionS, afterS).name}`,
    graph:
      `${heldClip(stillS, afterS)},split[scene][leaves];` +
      `[leaves]crop=200:160:300:200,trim=end_frame=1,loop=loop=-1:size=1,setpts=N/10/TB,` +
      `crop=150:110:'25+20*sin(n*1.7)':'25+20*cos(n*2.3)',eq=contrast=1.6[tree];` +
      `[scene][tree]overlay=x=0:y=H-h:shortest=1,${NOISE}[out]`,
  };
}

/**
 * Motion with no person in it: the still frame with noise, and for `motionS`
 * after `stillS` a 96×72 patch of ffmpeg's `testsrc2` test pattern (colour
 * bars and a moving gradient) sliding across the lawn in the lower part of the picture (where nobody stands), then
 * still again for `afterS`.
 */
export function movingPattern(stillS: number, motionS: number, afterS: number): Footage {
  const durationS = stillS + motionS + afterS;
  return {
    name: `pattern-still${stillS}-motion${motionS}-still${afterS}`,
    inputs: ['-ss', String(MOTION_FROM_S), '-i', FOOTAGE, '-f', 'lavfi', '-i', 'testsrc2=size=96x72:rate=10'],
    graph:
      `[0:v]trim=end_frame=1,fps=10,tpad=stop_mode=clone:stop_duration=${durationS}[still];` +
      `[still]trim=duration=${durationS}[scene];` +
      `[scene][1:v]overlay=x='(W-w)*(t-${stillS})/${motionS}':y=H*0.72:enable='between(t,${stillS},${stillS + motionS})':shortest=1,${NOISE}[out]`,
    durationS,
    motion: { fromMs: stillS * 1000, toMs: (stillS + motionS) * 1000 },
  };
}

const cache = tempDir('peerwatch-motion-');

/** Writes the footage as `file` (any ffmpeg output, e.g. .y4m or .mjpeg) at `width × height` and `fps`. */
function render(footage: Footage, file: string, width: number, height: number, fps: number, extra: string[]): string {
  if (existsSync(file)) return file;
  const partial = `${file}.partial${path.extname(file)}`;
  ffmpeg([
    ...footage.inputs,
    '-filter_complex', `${footage.graph};[out]fps=${fps},scale=${width}:${height}:flags=area[v]`,
    '-map', '[v]', '-t', String(footage.durationS), ...extra, partial,
  ]);
  renameSync(partial, file);
  return file;
}

/**
 * The footage as a file for Chromium's fake camera
 * (`--use-file-for-fake-video-capture`, which loops it), at 10 fps: y4m
 * (raw, exact) or mjpeg (about a tenth of the size, for large pictures).
 */
export function footageFile(footage: Footage, width = 640, height = 480, format: 'y4m' | 'mjpeg' = 'y4m'): string {
  const file = path.join(cache, `${footage.name}-${width}x${height}.${format}`);
  const extra = format === 'y4m' ? ['-pix_fmt', 'yuv420p'] : ['-pix_fmt', 'yuvj420p', '-q:v', '3', '-f', 'mjpeg'];
  return render(footage, file, width, height, 10, extra);
}

/** A decoded frame with its time from the clip's start, ms. */
export interface TimedGrayFrame {
  frame: GrayFrame;
  atMs: number;
}

/** The footage decoded to gray frames at `fps` (default 5, the detector's rate) and `width × height` (default 320×240), cached per run. */
export function grayFrames(footage: Footage, fps = 5, width = 320, height = 240): TimedGrayFrame[] {
  const file = render(footage, path.join(cache, `${footage.name}-${width}x${height}-${fps}fps.gray`), width, height, fps, [
    '-pix_fmt', 'gray', '-f', 'rawvideo',
  ]);
  const bytes = readFileSync(file);
  const size = width * height;
  const frames: TimedGrayFrame[] = [];
  for (let i = 0; (i + 1) * size <= bytes.length; i++) {
    frames.push({ frame: { width, height, data: new Uint8Array(bytes.buffer, bytes.byteOffset + i * size, size) }, atMs: (i * 1000) / fps });
  }
  return frames;
}

/**
 * Streams the footage as gray frames straight from ffmpeg (for long clips
 * that would not fit in memory), calling `onFrame` for each in order.
 * @throws Error when ffmpeg fails
 */
export async function streamGrayFrames(
  footage: Footage,
  onFrame: (frame: TimedGrayFrame) => void,
  fps = 5,
  width = 320,
  height = 240,
): Promise<number> {
  const child = spawn('ffmpeg', [
    '-loglevel', 'error', ...footage.inputs,
    '-filter_complex', `${footage.graph};[out]fps=${fps},scale=${width}:${height}:flags=area[v]`,
    '-map', '[v]', '-t', String(footage.durationS), '-pix_fmt', 'gray', '-f', 'rawvideo', 'pipe:1',
  ], { stdio: ['ignore', 'pipe', 'inherit'] });
  const size = width * height;
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= size) {
      const data = new Uint8Array(pending.subarray(0, size));
      pending = pending.subarray(size);
      onFrame({ frame: { width, height, data }, atMs: (index++ * 1000) / fps });
    }
  }
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`ffmpeg exited with ${code} while decoding ${footage.name}`);
  return index;
}
