import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  INITIAL_LIFECYCLE,
  stepLifecycle,
  type LifecycleChange,
  type LifecycleSettings,
  type LifecycleState,
} from '../../pwa/camera/motion/event-lifecycle.js';
import type { MotionReading } from '../../pwa/camera/motion/motion-detector.js';

/** The event lifecycle fed readings at 5 fps (200 ms apart), with a 2 s quiet period and 10 s maximum. */

const SETTINGS: LifecycleSettings = { startFrames: 3, quietMs: 2_000, maxLengthMs: 10_000 };
const FRAME_MS = 200;
const BOX = { x: 0.1, y: 0.2, width: 0.3, height: 0.4 };

const motion = (score: number): MotionReading => ({ kind: 'motion', score, box: BOX, largest: BOX });
const STILL: MotionReading = { kind: 'still' };

/** Steps readings one frame apart from `fromMs`; returns every change with its frame time, and the last state. */
function run(readings: MotionReading[], fromMs = 0, state: LifecycleState = INITIAL_LIFECYCLE) {
  const changes: { atMs: number; change: LifecycleChange }[] = [];
  readings.forEach((reading, i) => {
    const step = stepLifecycle(state, reading, fromMs + i * FRAME_MS, SETTINGS);
    state = step.state;
    changes.push(...step.changes.map((change) => ({ atMs: fromMs + i * FRAME_MS, change })));
  });
  return { changes, state };
}

const repeat = <T>(value: T, times: number): T[] => Array.from({ length: times }, () => value);
const types = (changes: { change: LifecycleChange }[]) => changes.map(({ change }) => change.type);

test('an event starts on the third motion frame in a row, dated from the first', () => {
  const { changes, state } = run([STILL, motion(0.1), motion(0.2), motion(0.1)]);
  const started = changes.find(({ change }) => change.type === 'started')!;
  assert.equal(started.atMs, 600);
  assert.equal(started.change.type === 'started' && started.change.event.startedAtMs, 200);
  assert.equal(state.phase, 'active');
  assert.equal(state.phase === 'active' && state.event.peak.score, 0.2);
});

test('two motion frames then a still one raise no event', () => {
  const { changes, state } = run([motion(0.3), motion(0.3), STILL, motion(0.3), motion(0.3), STILL]);
  assert.ok(!types(changes).includes('started'));
  assert.equal(state.phase, 'idle');
});

test('calibrating frames count as no motion', () => {
  const { changes } = run([motion(0.3), { kind: 'calibrating' }, motion(0.3), motion(0.3)]);
  assert.ok(!types(changes).includes('started'));
});

test('an event ends once the quiet period passed, dated at its last motion frame', () => {
  const { changes, state } = run([...repeat(motion(0.1), 5), ...repeat(STILL, 10), STILL]);
  const ended = changes.find(({ change }) => change.type === 'ended')!;
  // Last motion at 800 ms; 2 s quiet later is 2 800 ms.
  assert.equal(ended.atMs, 2_800);
  assert.equal(ended.change.type === 'ended' && ended.change.event.endedAtMs, 800);
  assert.equal(state.phase, 'idle');
});

test('motion within the quiet period keeps the event open and moves its peak to the strongest frame', () => {
  const readings = [...repeat(motion(0.1), 3), ...repeat(STILL, 9), motion(0.5), ...repeat(STILL, 11)];
  const { changes } = run(readings);
  assert.deepEqual(types(changes), ['peak', 'started', 'peak', 'ended']);
  const ended = changes.at(-1)!.change;
  assert.equal(ended.type === 'ended' && ended.event.peak.score, 0.5);
  assert.equal(ended.type === 'ended' && ended.event.peak.atMs, 12 * FRAME_MS);
  assert.deepEqual(ended.type === 'ended' && ended.event.peak.box, BOX);
});

test('motion that goes on past the maximum length ends the event and starts a new one at once', () => {
  const { changes, state } = run(repeat(motion(0.1), 60));
  const startedAt = changes.filter(({ change }) => change.type === 'started').map(({ atMs }) => atMs);
  assert.deepEqual(startedAt, [400, 10_000]);
  const ended = changes.find(({ change }) => change.type === 'ended')!.change;
  assert.equal(ended.type === 'ended' && ended.event.endedAtMs, 9_800);
  assert.equal(state.phase === 'active' && state.event.startedAtMs, 10_000);
});

test('frame times must be finite and must not go back', () => {
  const { state } = run([STILL], 1_000);
  assert.throws(() => stepLifecycle(state, STILL, 999, SETTINGS), RangeError);
  assert.throws(() => stepLifecycle(state, STILL, Number.NaN, SETTINGS), RangeError);
});
