import type { MotionImage } from '../../protocol/index.js';
import type { MotionEventRow } from '../store/store.js';

/**
 * What happened to camera events, for features that react to them (the
 * notifier): an event was created (`started`, with the origin its camera
 * reached the server at, for links to it), an event reported as `motion`
 * turned out to be about a person (`person-found`: the camera's person model
 * found one after the event started), or one of its images was stored.
 */
export type MotionEventActivity =
  | { type: 'started'; event: MotionEventRow; origin: string }
  | { type: 'person-found'; event: MotionEventRow; origin: string }
  | { type: 'image-stored'; eventId: string; image: MotionImage };

/** Receives `MotionEventActivity`; it must not throw (it runs inside the request). */
export type MotionEventActivityListener = (activity: MotionEventActivity) => void;
