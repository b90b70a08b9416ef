import { log } from '../../shared/logger.js';
import type { Picture } from './frame-gray.js';
import type { NormalisedBox } from './gray-frame.js';
import { cropSquare, PersonCrop } from './person-crop.js';
import type { PersonModel } from './person-model.js';

/**
 * An event is about a person once the model's score (the mean of MoveNet's
 * 17 keypoint confidences, 0..1) reaches this on a square around its motion.
 * On vtest.avi's walkers the score is 0.35–0.39; on the grass, the tripod or
 * a synthetic test pattern at most 0.23.
 */
export const PERSON_SCORE_THRESHOLD = 0.3;
/** At most one person inference per this interval (2 a second), ms. */
export const PERSON_CHECK_INTERVAL_MS = 500;
/** Name of the User Timing measure of each person inference in the motion worker (read it in DevTools or the bench). */
export const PERSON_MEASURE = 'peerwatch:person-inference';
/** Measures kept before they are cleared (several minutes of events at 2 a second). */
const MEASURES_KEPT = 300;

/** Where the person model is: not asked for yet, loading, ready, or failed (detection goes on without it). */
type ModelState =
  | { phase: 'unloaded' }
  | { phase: 'loading' }
  | { phase: 'ready'; model: PersonModel }
  | { phase: 'failed' };

/** Loads the person model from the app's own assets, in a chunk of its own (`person-model.ts`). */
const loadFromBuild = () => import('./person-model.js').then(({ loadPersonModel }) => loadPersonModel());

/**
 * Looks for a person where there is motion, for the motion worker: the first
 * `check` loads the model (lazily; nothing else happens until it is ready);
 * then a `check` at most every `PERSON_CHECK_INTERVAL_MS`, one at a time, runs
 * the model on a square of the picture around the moving blob. A model that
 * cannot load or fails an inference is logged and never used again: events
 * then stay `motion`.
 */
export class PersonWatch {
  private model: ModelState = { phase: 'unloaded' };
  private readonly crop = new PersonCrop();
  private busy = false;
  /** Frame time of the last check, ms since the epoch. */
  private lastCheckAtMs = -Infinity;
  private measures = 0;

  constructor(private readonly load: () => Promise<PersonModel> = loadFromBuild) {}

  /**
   * Whether `picture` (taken at `atMs`, ms since the epoch) shows a person
   * around `box`, or null when no check ran (the model is not ready, one is
   * running, or the last was under `PERSON_CHECK_INTERVAL_MS` ago). The
   * picture is read before this returns, so the caller may close it at once.
   * The promise never rejects (a failure is logged and resolves false).
   */
  check(picture: Picture, box: NormalisedBox, atMs: number): Promise<boolean> | null {
    if (this.model.phase === 'unloaded') this.startLoading();
    if (this.model.phase !== 'ready' || this.busy || atMs - this.lastCheckAtMs < PERSON_CHECK_INTERVAL_MS) return null;
    const { model } = this.model;
    this.lastCheckAtMs = atMs;
    this.busy = true;
    let pixels: ImageData;
    try {
      pixels = this.crop.read(picture.image, cropSquare(box, picture.width, picture.height));
    } catch (error) {
      this.busy = false;
      return Promise.resolve(this.failed('the picture could not be read for the person model', error));
    }
    const startMs = performance.now();
    return model
      .personScore(pixels)
      .then((score) => {
        this.measure(startMs);
        return score >= PERSON_SCORE_THRESHOLD;
      })
      .catch((error: unknown) => this.failed('the person model failed', error))
      .finally(() => (this.busy = false));
  }

  private startLoading(): void {
    this.model = { phase: 'loading' };
    this.load().then(
      (model) => (this.model = { phase: 'ready', model }),
      (error: unknown) => this.failed('the person model could not be loaded; events stay "motion"', error),
    );
  }

  private failed(message: string, error: unknown): false {
    log.warn(`motion: ${message}`, error);
    this.model = { phase: 'failed' };
    return false;
  }

  private measure(startMs: number): void {
    performance.measure(PERSON_MEASURE, { start: startMs });
    if (++this.measures < MEASURES_KEPT) return;
    performance.clearMeasures(PERSON_MEASURE);
    this.measures = 0;
  }
}
