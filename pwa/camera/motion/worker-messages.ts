import type { EndedEvent, OpenEvent } from './motion-event.js';
import type { MotionSettings } from './motion-settings.js';

/** The worker analyses one picture about this often: 5 fps, the rate Frigate's detection stream runs at, ms. */
export const SAMPLE_INTERVAL_MS = 200;

/** Where the worker's frames come from: a stream of VideoFrames (MediaStreamTrackProcessor) or `sample` messages. */
export type FrameSource = { kind: 'stream'; frames: ReadableStream<VideoFrame> } | { kind: 'samples' };

/** Messages to the motion worker. */
export type ToMotionWorker =
  | { type: 'start'; source: FrameSource; settings: MotionSettings }
  /** A picture of the camera taken on the main thread at `atMs` (ms since the epoch); the worker closes it. */
  | { type: 'sample'; image: ImageBitmap; atMs: number }
  /** New settings, followed from the next picture on. */
  | { type: 'settings'; settings: MotionSettings }
  | { type: 'stop' };

/** The worker says "motion goes on" at most this often during an event, ms. */
export const MOTION_REPORT_INTERVAL_MS = 1_000;

/** Pictures of an event's peak frame: the full-size JPEG snapshot and a thumbnail about 180 px high (WebP, else JPEG). */
export interface EventImages {
  snapshot: Blob;
  thumbnail: Blob;
}

/** An event opening or closing (as the lifecycle reports it). */
export type EventMessage = { type: 'started'; event: OpenEvent } | { type: 'ended'; event: EndedEvent };

/** Messages from the motion worker. */
export type FromMotionWorker =
  | (EventMessage & { images: EventImages })
  /** Motion goes on in the open event at `atMs` (ms since the epoch); at most once per `MOTION_REPORT_INTERVAL_MS`. */
  | { type: 'motion'; atMs: number }
  /** The open event (already reported `started`) turned out to be about a person: `event.kind` is `person`. */
  | { type: 'person'; event: OpenEvent }
  | { type: 'failed'; message: string }
  /** The worker closed its frames and is done; it may be terminated. */
  | { type: 'stopped' };

/** Name of the User Timing measure the worker records for each analysed frame (read it in DevTools or the bench). */
export const FRAME_MEASURE = 'peerwatch:motion-frame';
