import { blur3 } from './blur.js';
import { findBlobs } from './blobs.js';
import { stretchContrast, type ContrastRange } from './contrast.js';
import { downscaleGray } from './downscale.js';
import { assertGrayFrame, type GrayFrame, type NormalisedBox } from './gray-frame.js';
import { MIN_BLOB_PIXELS, type Sensitivity } from './sensitivity.js';
import { rasteriseZones, type Zone } from './zones.js';

/** Height of the analysis frame, pixels (Frigate: `frame_height` 100). */
export const ANALYSIS_HEIGHT = 100;
/** A pixel has changed when it differs from the background by more than this, gray levels (Frigate: `threshold` 30). */
const PIXEL_THRESHOLD = 30;
/** Background learning rate per analysed frame (Frigate: `frame_alpha` 0.01; a little faster here so shadows and slow light drift settle sooner). */
const BACKGROUND_ALPHA = 0.02;
/** Learning rate while calibrating (Frigate: 0.2). */
const CALIBRATING_ALPHA = 0.2;
/**
 * While calibrating, a changed pixel is learnt once it stood still this many
 * frames (Frigate blends every pixel, so rain drops or people passing while it
 * calibrates leave marks in the background that then show as motion).
 */
const CALIBRATING_ABSORB_FRAMES = 1;
/** Calibration ends once less than this share of the analysed area differs from the background (Frigate: 5 %). */
const CALIBRATED_SHARE = 0.05;
/** More than this share changing at once is a light change (lights, IR switch), not motion: recalibrate (Frigate: `lightning_threshold` 0.8). */
const RECALIBRATE_SHARE = 0.8;
/**
 * When the frame's 4th and 96th percentiles move by more than this many gray
 * levels together from one analysed frame to the next, the light changed
 * (lights on, IR switch, a cloud): recalibrate. Sensor noise moves them by a
 * level or two, people walking by hardly at all.
 */
const LIGHT_STEP_LEVELS = 24;
/** A changed pixel that differs from the previous frame by at most this many levels is standing still. */
const STILL_TOLERANCE = 20;
/** How fast each pixel's activity (its share of changed frames) follows, per analysed frame (a time constant of 20 s at 5 fps). */
const ACTIVITY_ALPHA = 0.01;
/**
 * A pixel changed in more than this share of recent frames is restless
 * background (a tree in the wind, a flag, water, a TV), not motion: Frigate's
 * users' most common false alarm. A person walking by changes a pixel for a
 * second or two, which lifts its activity to about 0.1.
 */
const RESTLESS_ACTIVITY = 0.35;
/**
 * After standing still for this many analysed frames (2 s at 5 fps), a
 * changed pixel becomes background: a parked car, a moved chair, or the
 * place a person left stop counting as motion after 2 s instead of Frigate's
 * ~25 s fade at `frame_alpha`.
 */
const ABSORB_AFTER_FRAMES = 10;

/**
 * What the detector made of one frame: still calibrating (the first frame, or
 * after a global change such as lights switching on), no motion, or motion
 * with its `score` (the share of the analysed area in motion, 0..1), the
 * bounding box of all moving blobs (`box`) and that of the largest one
 * (`largest`: where the person model looks).
 */
export type MotionReading =
  | { kind: 'calibrating' }
  | { kind: 'still' }
  | { kind: 'motion'; score: number; box: NormalisedBox; largest: NormalisedBox };

/** How the detector looks: its sensitivity and the household's zones. */
export interface DetectorOptions {
  sensitivity: Sensitivity;
  zones: readonly Zone[];
}

/** Per-size working state, made when the first frame of a size arrives. */
interface Workspace {
  width: number;
  height: number;
  /** 1 where analysed (from the zones). */
  mask: Uint8Array;
  activePixels: number;
  /** Running-average background, gray levels. */
  background: Float32Array;
  /** The last frame after contrast stretch, masking and blur. */
  previous: Uint8Array;
  /** Each pixel's share of recent frames in which it changed (0..1, `ACTIVITY_ALPHA`). */
  activity: Float32Array;
  /** Frames each changed pixel has stood still (capped at 255). */
  stillFrames: Uint8Array;
  changed: Uint8Array;
  previousChanged: Uint8Array;
  /** Changed in this frame and in the last: motion that lasts. */
  lasting: Uint8Array;
  current: Uint8Array;
  scratch: Uint8Array;
  labels: Int32Array;
  /** Signed differences, offset by 255, for the median shift. */
  shiftHistogram: Uint32Array;
  /** The last frame's percentiles before its stretch. */
  range: ContrastRange;
}

type DetectorPhase =
  | { phase: 'waiting' }
  | { phase: 'calibrating'; space: Workspace }
  | { phase: 'watching'; space: Workspace };

/**
 * Camera motion detector over grayscale frames, after Frigate's
 * `ImprovedMotionDetector` (frigate/motion/improved_motion.py): each frame is
 * shrunk to `ANALYSIS_HEIGHT` rows by area averaging, contrast-stretched
 * (4th–96th percentile), zeroed where zones exclude it, blurred (Gaussian
 * σ 1), and compared with a running-average background; pixels more than
 * `PIXEL_THRESHOLD` apart are changed, blobs of them at least
 * `MIN_BLOB_PIXELS[sensitivity]` large are motion. More than
 * `RECALIBRATE_SHARE` changing at once restarts the background instead.
 *
 * Beyond Frigate, against its users' complaints (false alarms from rain,
 * noise, light changes; stationary leftovers): a jump of the frame's
 * percentiles (`LIGHT_STEP_LEVELS`) also recalibrates; the background is
 * compared after removing the frame's median shift (a uniform brightness
 * step is no motion); a changed pixel counts only when it was changed in the
 * previous frame too (rain drops and noise specks last one frame); blobs
 * count their changed pixels, not a dilated outline; the stretch gain is
 * capped (dark pictures do not turn noise into motion); pixels that changed
 * and then stood still for `ABSORB_AFTER_FRAMES` become background, and
 * while calibrating only pixels that stand still are learnt; pixels that keep
 * changing (`RESTLESS_ACTIVITY`: a tree in the wind) stop counting after
 * about 20 s.
 *
 * Tuned for about 5 analysed frames a second; pure (no DOM, no clock), so a
 * given sequence of frames always gives the same readings.
 */
export class MotionDetector {
  private state: DetectorPhase = { phase: 'waiting' };
  private options: DetectorOptions;

  /** @throws RangeError when a zone is malformed (see `assertZones`) */
  constructor(options: DetectorOptions) {
    rasteriseZones(options.zones, 1, 1);
    this.options = options;
  }

  /**
   * Changes sensitivity and zones. New zones (another array than before)
   * rebuild the mask and restart calibration (the background of newly
   * analysed pixels is unknown).
   * @throws RangeError when a zone is malformed
   */
  configure(options: DetectorOptions): void {
    rasteriseZones(options.zones, 1, 1);
    const zonesChanged = options.zones !== this.options.zones;
    this.options = options;
    if (zonesChanged) this.state = { phase: 'waiting' };
  }

  /**
   * Analyses the next frame (any size; all frames of a run should show the
   * same picture). A frame of another size than the last restarts calibration.
   * @throws RangeError when the frame is malformed (see `assertGrayFrame`)
   */
  detect(frame: GrayFrame): MotionReading {
    assertGrayFrame(frame);
    const small = downscaleGray(frame, ANALYSIS_HEIGHT);
    let space = this.state.phase === 'waiting' ? null : this.state.space;
    if (!space || space.width !== small.width || space.height !== small.height) {
      space = this.workspace(small.width, small.height);
      this.prepare(small.data, space);
      space.background.set(space.current);
      space.previous.set(space.current);
      this.state = { phase: 'calibrating', space };
      return { kind: 'calibrating' };
    }
    const lightStep = this.prepare(small.data, space);
    const changedShare = this.markChanged(space);
    if (lightStep > LIGHT_STEP_LEVELS || changedShare > RECALIBRATE_SHARE) {
      space.background.set(space.current);
      space.stillFrames.fill(0);
      space.changed.fill(0);
      this.endFrame(space);
      this.state = { phase: 'calibrating', space };
      return { kind: 'calibrating' };
    }
    if (this.state.phase === 'calibrating') {
      this.learnBackground(space, CALIBRATING_ALPHA, CALIBRATING_ABSORB_FRAMES);
      if (changedShare < CALIBRATED_SHARE) this.state = { phase: 'watching', space };
      this.endFrame(space);
      return { kind: 'calibrating' };
    }
    const reading = this.readMotion(space);
    this.learnBackground(space, BACKGROUND_ALPHA, ABSORB_AFTER_FRAMES);
    this.endFrame(space);
    return reading;
  }

  private workspace(width: number, height: number): Workspace {
    const size = width * height;
    const mask = rasteriseZones(this.options.zones, width, height);
    return {
      width,
      height,
      mask,
      activePixels: mask.reduce((sum, v) => sum + v, 0),
      background: new Float32Array(size),
      previous: new Uint8Array(size),
      activity: new Float32Array(size),
      stillFrames: new Uint8Array(size),
      changed: new Uint8Array(size),
      previousChanged: new Uint8Array(size),
      lasting: new Uint8Array(size),
      current: new Uint8Array(size),
      scratch: new Uint8Array(size),
      labels: new Int32Array(size),
      shiftHistogram: new Uint32Array(511),
      range: { low: 0, high: 255 },
    };
  }

  /** Stretch, mask and blur `data` into `space.current`; returns how far its percentiles moved since the last frame, gray levels. */
  private prepare(data: Uint8Array, space: Workspace): number {
    const work = space.scratch;
    work.set(data);
    const range = stretchContrast(work, space.mask);
    const step = Math.abs(range.low - space.range.low) + Math.abs(range.high - space.range.high);
    space.range = range;
    const mask = space.mask;
    for (let i = 0; i < work.length; i++) if (mask[i] === 0) work[i] = 0;
    // `lasting` is free until `readMotion` fills it: the blur's scratch space.
    blur3(work, space.width, space.height, space.lasting, space.current);
    return step;
  }

  /** Sets `changed` where the frame differs from the background beyond the threshold, after the median shift; returns the changed share of the analysed area. */
  private markChanged(space: Workspace): number {
    const { mask, current, background, changed, shiftHistogram } = space;
    if (space.activePixels === 0) {
      changed.fill(0);
      return 0;
    }
    shiftHistogram.fill(0);
    for (let i = 0; i < current.length; i++) {
      if (mask[i] === 1) shiftHistogram[Math.round(current[i]! - background[i]!) + 255]!++;
    }
    const shift = medianOf(shiftHistogram, space.activePixels) - 255;
    let count = 0;
    for (let i = 0; i < current.length; i++) {
      const isChanged = mask[i] === 1 && Math.abs(current[i]! - background[i]! - shift) > PIXEL_THRESHOLD ? 1 : 0;
      changed[i] = isChanged;
      count += isChanged;
    }
    return count / space.activePixels;
  }

  /** Blobs of lasting change, large enough for the sensitivity, as a reading. */
  private readMotion(space: Workspace): MotionReading {
    const { width, height, changed, previousChanged, lasting, activity } = space;
    for (let i = 0; i < changed.length; i++) {
      activity[i]! += ACTIVITY_ALPHA * (changed[i]! - activity[i]!);
      lasting[i] = activity[i]! > RESTLESS_ACTIVITY ? 0 : changed[i]! & previousChanged[i]!;
    }
    const minPixels = MIN_BLOB_PIXELS[this.options.sensitivity];
    const blobs = findBlobs(lasting, width, height, space.labels).filter((blob) => blob.pixels >= minPixels);
    if (blobs.length === 0) return { kind: 'still' };
    let pixels = 0;
    let largest = blobs[0]!;
    let left = width;
    let top = height;
    let right = 0;
    let bottom = 0;
    for (const blob of blobs) {
      pixels += blob.pixels;
      if (blob.pixels > largest.pixels) largest = blob;
      left = Math.min(left, blob.left);
      top = Math.min(top, blob.top);
      right = Math.max(right, blob.right);
      bottom = Math.max(bottom, blob.bottom);
    }
    return {
      kind: 'motion',
      score: pixels / space.activePixels,
      box: normalised(left, top, right, bottom, width, height),
      largest: normalised(largest.left, largest.top, largest.right, largest.bottom, width, height),
    };
  }

  /**
   * Unchanged pixels drift into the background at `alpha`; changed ones
   * become background only once they stood still for `absorbAfterFrames`, so
   * passing things (people, rain) never enter it.
   */
  private learnBackground(space: Workspace, alpha: number, absorbAfterFrames: number): void {
    const { current, previous, background, changed, stillFrames } = space;
    for (let i = 0; i < current.length; i++) {
      if (changed[i] === 0) {
        background[i]! += alpha * (current[i]! - background[i]!);
        stillFrames[i] = 0;
        continue;
      }
      const still = Math.abs(current[i]! - previous[i]!) <= STILL_TOLERANCE;
      stillFrames[i] = still ? Math.min(255, stillFrames[i]! + 1) : 0;
      if (stillFrames[i]! >= absorbAfterFrames) background[i] = current[i]!;
    }
  }

  private endFrame(space: Workspace): void {
    space.previous.set(space.current);
    space.previousChanged.set(space.changed);
  }
}

/** A box of analysis-frame pixels (right and bottom exclusive) in a `width × height` frame, normalised. */
function normalised(left: number, top: number, right: number, bottom: number, width: number, height: number): NormalisedBox {
  return { x: left / width, y: top / height, width: (right - left) / width, height: (bottom - top) / height };
}

/** The value at which half of `count` entries of a histogram are reached. */
function medianOf(histogram: Uint32Array, count: number): number {
  let seen = 0;
  for (let v = 0; v < histogram.length; v++) {
    seen += histogram[v]!;
    if (seen * 2 >= count) return v;
  }
  return histogram.length - 1;
}
