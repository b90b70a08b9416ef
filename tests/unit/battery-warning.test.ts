import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batteryWarning } from '../../pwa/viewer/battery-warning.js';

test('a battery below 20 % not charging, or not charging for over 10 min, is warned about; a charging one never', () => {
  assert.equal(batteryWarning({ level: 0.19, charging: false, notChargingForMs: 0 }), 'Battery low, not charging');
  assert.equal(batteryWarning({ level: 0.2, charging: false, notChargingForMs: 0 }), null);
  assert.equal(batteryWarning({ level: 0.05, charging: true, notChargingForMs: 0 }), null);
  assert.equal(batteryWarning({ level: 0.8, charging: false, notChargingForMs: 600_000 }), null);
  assert.equal(batteryWarning({ level: 0.8, charging: false, notChargingForMs: 754_000 }), 'Not charging for 12 min');
});
