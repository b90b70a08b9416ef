import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CameraReport } from '../../protocol/index.js';
import { cameraHealthText } from '../../pwa/viewer/camera-health-text.js';

const REPORT: CameraReport = {
  deviceId: 'dd01',
  reportedAtMs: 1,
  battery: null,
  network: 'wifi',
  framesPerSecond: 29.8,
  droppedFramesPerSecond: 0.5,
  width: 1280,
  height: 720,
  maxHeight: 720,
  sentHeight: 540,
  videoSources: [],
  videoSourceId: null,
  torch: false,
  zoom: null,
};

test('the health line names what the camera reported, and leaves out what it did not', () => {
  assert.equal(cameraHealthText(REPORT), 'Camera: 29.8 fps captured, 0.5 dropped · sends 540p · wifi');
  assert.equal(cameraHealthText({ ...REPORT, droppedFramesPerSecond: 0, network: null }), 'Camera: 29.8 fps captured · sends 540p');
  assert.equal(cameraHealthText({ ...REPORT, framesPerSecond: null, sentHeight: null, network: null }), null);
});
