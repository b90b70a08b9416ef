import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batteryAlarm, batteryAlarmText, type BatteryReading } from '../../protocol/battery-alarm.js';

const textOf = (battery: BatteryReading) => {
  const alarm = batteryAlarm(battery);
  return alarm && batteryAlarmText(alarm);
};

test('a battery below 20 % not charging, or not charging for over 10 min, is an alarm; a charging one never', () => {
  assert.deepEqual(batteryAlarm({ level: 0.19, charging: false, notChargingForMs: 0 }), { kind: 'low', level: 0.19 });
  assert.equal(textOf({ level: 0.19, charging: false, notChargingForMs: 0 }), 'Battery low, not charging');
  assert.equal(batteryAlarm({ level: 0.2, charging: false, notChargingForMs: 0 }), null);
  assert.equal(batteryAlarm({ level: 0.05, charging: true, notChargingForMs: 0 }), null);
  assert.equal(batteryAlarm({ level: 0.8, charging: false, notChargingForMs: 600_000 }), null);
  assert.deepEqual(batteryAlarm({ level: 0.8, charging: false, notChargingForMs: 754_000 }), {
    kind: 'not-charging',
    level: 0.8,
    notChargingForMs: 754_000,
  });
  assert.equal(textOf({ level: 0.8, charging: false, notChargingForMs: 754_000 }), 'Not charging for 12 min');
  // Low wins over long unplugged.
  assert.equal(textOf({ level: 0.1, charging: false, notChargingForMs: 3_600_000 }), 'Battery low, not charging');
});
