import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controlsChange } from '../../signal-server/camera-controls/controls-change.js';

test('a controls request changes only the controls it names', () => {
  assert.deepEqual(controlsChange({ quality: 'high' }, { paused: null }, 'sam@example.com', 5), { quality: 'high' });
  assert.deepEqual(controlsChange({ videoSourceId: null, torch: false, zoom: 2 }, { paused: null }, 'sam@example.com', 5), {
    videoSourceId: null,
    torch: false,
    zoom: 2,
  });
});

test('a pause is in the name of who asked, at that time; a second pause keeps the first; resume clears it', () => {
  assert.deepEqual(controlsChange({ paused: true }, { paused: null }, 'sam@example.com', 5), {
    paused: { by: 'sam@example.com', atMs: 5 },
  });
  const first = { by: 'Porch', atMs: 1 };
  assert.deepEqual(controlsChange({ paused: true }, { paused: first }, 'sam@example.com', 9), { paused: first });
  assert.deepEqual(controlsChange({ paused: false }, { paused: first }, 'sam@example.com', 9), { paused: null });
});
