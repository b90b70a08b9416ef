import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../pwa/shared/emitter.js';

/** A service with one event that carries a payload and one that carries none. */
class Thermometer extends Emitter<{ reading: number; reset: void }> {
  read(celsius: number): void {
    this.emit('reading', celsius);
  }

  reset(): void {
    this.emit('reset');
  }
}

test('listeners get the payload of their own event, in the order they were added', () => {
  const thermometer = new Thermometer();
  const seen: string[] = [];
  thermometer.on('reading', (celsius) => seen.push(`first ${celsius}`));
  thermometer.on('reading', (celsius) => seen.push(`second ${celsius}`));
  thermometer.on('reset', () => seen.push('reset'));
  thermometer.read(21.5);
  thermometer.reset();
  assert.deepEqual(seen, ['first 21.5', 'second 21.5', 'reset']);
});

test('the function `on` returns removes that listener only', () => {
  const thermometer = new Thermometer();
  const seen: number[] = [];
  const off = thermometer.on('reading', (celsius) => seen.push(celsius));
  thermometer.on('reading', (celsius) => seen.push(-celsius));
  thermometer.read(1);
  off();
  thermometer.read(2);
  assert.deepEqual(seen, [1, -1, -2]);
});

test('a listener added with an AbortSignal is removed when it aborts', () => {
  const thermometer = new Thermometer();
  const lifetime = new AbortController();
  const seen: number[] = [];
  thermometer.on('reading', (celsius) => seen.push(celsius), lifetime.signal);
  thermometer.read(3);
  lifetime.abort();
  thermometer.read(4);
  assert.deepEqual(seen, [3]);
});
