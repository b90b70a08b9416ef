import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIFECYCLE, INITIAL_LIFECYCLE, stepLifecycle } from '../../pwa/camera/motion/event-lifecycle.js';
import { MotionDetector, type DetectorOptions } from '../../pwa/camera/motion/motion-detector.js';
import type { OpenEvent } from '../../pwa/camera/motion/motion-event.js';
import type { Zone } from '../../pwa/camera/motion/zones.js';
import {
  brightnessStep,
  grayFrames,
  smallMotion,
  stillMotionStill,
  stillWithNoise,
  swayingTree,
  type Footage,
} from '../support/motion-footage.js';

/**
 * The real detector and event lifecycle over real footage (vtest.avi, people
 * walking) made into clips with a known ground truth, decoded by ffmpeg to
 * 320×240 gray frames at 5 fps (the rate the camera analyses).
 */

const MOTION = stillMotionStill(8, 6, 14);
const MEDIUM: DetectorOptions = { sensitivity: 'medium', zones: [] };

/** Every event the detector and lifecycle find in the footage; one still open at its end counts too. */
function eventsIn(footage: Footage, options: DetectorOptions = MEDIUM): OpenEvent[] {
  const detector = new MotionDetector(options);
  const events: OpenEvent[] = [];
  let state = INITIAL_LIFECYCLE;
  for (const { frame, atMs } of grayFrames(footage)) {
    const step = stepLifecycle(state, detector.detect(frame), atMs);
    state = step.state;
    for (const change of step.changes) if (change.type === 'ended') events.push(change.event);
  }
  if (state.phase === 'active') events.push(state.event);
  return events;
}

/** A rectangle zone from (x0, y0) to (x1, y1), normalised. */
function rectangle(kind: Zone['kind'], x0: number, y0: number, x1: number, y1: number): Zone {
  return { kind, points: [{ x: x0, y: y0 }, { x: x1, y: y0 }, { x: x1, y: y1 }, { x: x0, y: y1 }] };
}

test('still → people walking → still gives exactly one event that starts and ends with the motion', () => {
  const events = eventsIn(MOTION);
  assert.equal(events.length, 1, JSON.stringify(events));
  const [event] = events as [OpenEvent & { endedAtMs?: number }];
  const truth = MOTION.motion!;
  assert.ok(Math.abs(event.startedAtMs - truth.fromMs) <= 1_000, `started at ${event.startedAtMs} ms`);
  assert.ok(event.endedAtMs !== undefined, 'the event ended before the footage did');
  assert.ok(Math.abs(event.endedAtMs - truth.toMs) <= DEFAULT_LIFECYCLE.quietMs + 1_000, `ended at ${event.endedAtMs} ms`);
  assert.equal(event.kind, 'motion');
  assert.ok(event.peak.score > 0.01 && event.peak.score <= 1, `peak score ${event.peak.score}`);
  assert.ok(event.peak.atMs >= event.startedAtMs && event.peak.atMs <= event.endedAtMs);
  // People walk across the middle band of the picture, from side to side.
  const { box } = event.peak;
  assert.ok(box.width > 0.5 && box.y > 0.05 && box.y + box.height < 0.9, `peak box ${JSON.stringify(box)}`);
});

test('60 s of a still picture with sensor noise raise no event and not one motion frame', () => {
  const detector = new MotionDetector(MEDIUM);
  const frames = grayFrames(stillWithNoise(60));
  assert.ok(frames.length >= 295, `${frames.length} frames`);
  const motionFrames = frames.filter(({ frame }) => detector.detect(frame).kind === 'motion');
  assert.equal(motionFrames.length, 0);
  assert.deepEqual(eventsIn(stillWithNoise(60), { sensitivity: 'high', zones: [] }), []);
});

test('rain (bright streaks at new random places every frame) over a still picture raises no event at Medium', () => {
  const random = seededRandom(7);
  const detector = new MotionDetector(MEDIUM);
  let state = INITIAL_LIFECYCLE;
  let motionFrames = 0;
  for (const { frame, atMs } of grayFrames(stillWithNoise(60))) {
    const data = Uint8Array.from(frame.data);
    // 60 drops a frame, each a streak 2 px wide and 12 px long (320×240 picture).
    for (let drop = 0; drop < 60; drop++) {
      const x = Math.floor(random() * (frame.width - 2));
      const y = Math.floor(random() * (frame.height - 12));
      for (let dy = 0; dy < 12; dy++) for (let dx = 0; dx < 2; dx++) data[(y + dy) * frame.width + x + dx] = 255;
    }
    const reading = detector.detect({ ...frame, data });
    if (reading.kind === 'motion') motionFrames++;
    const step = stepLifecycle(state, reading, atMs);
    state = step.state;
    assert.ok(!step.changes.some((change) => change.type === 'started'), `an event started at ${atMs} ms`);
  }
  assert.ok(motionFrames <= 15, `${motionFrames} of 300 frames of motion in rain`);
});

/** A deterministic pseudo-random sequence in [0, 1) (mulberry32), so the rain is the same each run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

test('a tree swaying in the wind stops counting as motion within about 20 s; people walking later still raise their event', () => {
  const footage = swayingTree(40, 6, 14);
  const events = eventsIn(footage) as (OpenEvent & { endedAtMs?: number })[];
  assert.equal(events.length, 2, JSON.stringify(events));
  const [tree, people] = events as [OpenEvent & { endedAtMs?: number }, OpenEvent & { endedAtMs?: number }];
  // The tree's own event: in its corner, over once the detector learnt it.
  assert.ok(tree.peak.box.x + tree.peak.box.width <= 0.25 && tree.peak.box.y >= 0.75, JSON.stringify(tree.peak.box));
  assert.ok(tree.endedAtMs !== undefined && tree.endedAtMs <= 25_000, `tree moved until ${tree.endedAtMs} ms`);
  assert.ok(Math.abs(people.startedAtMs - footage.motion!.fromMs) <= 1_000, `people from ${people.startedAtMs} ms`);
  assert.ok(people.peak.box.width > 0.5 && people.peak.box.y + people.peak.box.height < 0.9, JSON.stringify(people.peak.box));
});

test('lights switching on (a sudden brightness and contrast step) recalibrate instead of raising an event', () => {
  const footage = brightnessStep(20, 5);
  const detector = new MotionDetector(MEDIUM);
  const kinds = grayFrames(footage).map(({ frame, atMs }) => ({ atMs, kind: detector.detect(frame).kind }));
  assert.ok(kinds.some(({ atMs, kind }) => atMs >= 5_000 && kind === 'calibrating'), 'recalibrated after the step');
  assert.deepEqual(eventsIn(footage), []);
  assert.deepEqual(eventsIn(footage, { sensitivity: 'high', zones: [] }), []);
});

test('an ignore zone over where people walk suppresses the event; one elsewhere does not', () => {
  assert.deepEqual(eventsIn(MOTION, { sensitivity: 'medium', zones: [rectangle('ignore', 0, 0.1, 1, 0.8)] }), []);
  assert.equal(eventsIn(MOTION, { sensitivity: 'medium', zones: [rectangle('ignore', 0, 0.85, 1, 1)] }).length, 1);
});

test('an "only here" zone keeps motion outside it out', () => {
  assert.deepEqual(eventsIn(MOTION, { sensitivity: 'high', zones: [rectangle('only', 0, 0.85, 1, 1)] }), []);
  const inside = eventsIn(MOTION, { sensitivity: 'medium', zones: [rectangle('only', 0, 0.3, 0.5, 0.7)] });
  assert.equal(inside.length, 1);
  const { box } = inside[0]!.peak;
  const inZone = box.x + box.width <= 0.51 && box.y >= 0.29 && box.y + box.height <= 0.71;
  assert.ok(inZone, `box ${JSON.stringify(box)} inside the zone`);
});

test('sensitivity Low ignores small, distant motion that High reports', () => {
  const footage = smallMotion(8, 6, 14);
  assert.deepEqual(eventsIn(footage, { sensitivity: 'low', zones: [] }), []);
  const high = eventsIn(footage, { sensitivity: 'high', zones: [] });
  assert.equal(high.length, 1, JSON.stringify(high));
  assert.ok(Math.abs(high[0]!.startedAtMs - footage.motion!.fromMs) <= 1_000, `started at ${high[0]!.startedAtMs} ms`);
  // The small clip sits in the lower right fifth of the picture.
  assert.ok(high[0]!.peak.box.x >= 0.68 && high[0]!.peak.box.y >= 0.68, JSON.stringify(high[0]!.peak.box));
});
