import { batteryAlarmText, type BatteryAlarm } from '../../protocol/battery-alarm.js';
import type { MotionEventKind, NotificationContent, RecordingProblem } from '../../protocol/index.js';
import { newId } from '../util/ids.js';

/** A camera as a notification names it. */
export interface NotifiedCamera {
  id: string;
  name: string;
}

/** A span of time for people: `45 s`, `12 min`, `3 h 5 min`. */
export function formatDuration(ms: number): string {
  const totalS = Math.max(0, Math.round(ms / 1_000));
  if (totalS < 60) return `${totalS} s`;
  const totalMin = Math.floor(totalS / 60);
  if (totalMin < 60) return `${totalMin} min`;
  const hours = Math.floor(totalMin / 60);
  const min = totalMin % 60;
  return min === 0 ? `${hours} h` : `${hours} h ${min} min`;
}

/** What each recording problem means, as a notification's body says it. */
const PROBLEM_TEXT: Record<RecordingProblem, string> = {
  'storage-low': 'Its storage is almost full.',
  'cannot-record': 'Its browser cannot record video.',
  'recorder-failed': 'Its recorder stopped with an error.',
  paused: 'It was paused.',
};

const base = (camera: NotifiedCamera, nowMs: number) => ({
  id: newId(),
  deviceId: camera.id,
  deviceName: camera.name,
  createdAtMs: nowMs,
});

/** "<camera> is offline": it went offline at `offlineSinceMs` and has not come back within the grace period. */
export function offlineNotification(camera: NotifiedCamera, offlineSinceMs: number, nowMs: number): NotificationContent {
  return {
    ...base(camera, nowMs),
    kind: 'camera-offline',
    title: `${camera.name} is offline`,
    body: `No connection for ${formatDuration(nowMs - offlineSinceMs)}.`,
    offlineSinceMs,
  };
}

/** "<camera> is back online" after `offlineForMs` offline. */
export function onlineNotification(camera: NotifiedCamera, offlineForMs: number, nowMs: number): NotificationContent {
  return {
    ...base(camera, nowMs),
    kind: 'camera-online',
    title: `${camera.name} is back online`,
    body: `It was offline for ${formatDuration(offlineForMs)}.`,
    offlineForMs,
  };
}

/** "<camera> cannot record": it is asked to record and reported `problem`. */
export function recordingProblemNotification(
  camera: NotifiedCamera,
  problem: RecordingProblem,
  nowMs: number,
): NotificationContent {
  return {
    ...base(camera, nowMs),
    kind: 'recording-problem',
    title: `${camera.name} cannot record`,
    body: PROBLEM_TEXT[problem],
    problem,
  };
}

/** What an event's notification says of its kind: "Motion", "Person". */
const EVENT_KIND_TEXT: Record<MotionEventKind, string> = { motion: 'Motion', person: 'Person' };

/** A time of day as the server's clock shows it, `14:05:09` (24 h, the server's time zone). */
export const formatTimeOfDay = (ms: number) =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(ms);

/**
 * "Motion on <camera>" / "Person on <camera>", or for a burst folded into one
 * notification "3 events on <camera>", about `event` (the newest of the burst).
 * @param eventCount how many events it tells of, ≥ 1
 */
export function eventNotification(
  camera: NotifiedCamera,
  event: { id: string; kind: MotionEventKind; startedAtMs: number },
  eventCount: number,
  nowMs: number,
): NotificationContent {
  const kind = EVENT_KIND_TEXT[event.kind];
  const at = formatTimeOfDay(event.startedAtMs);
  return {
    ...base(camera, nowMs),
    kind: 'camera-event',
    title: eventCount === 1 ? `${kind} on ${camera.name}` : `${eventCount} events on ${camera.name}`,
    body: eventCount === 1 ? `Seen at ${at}.` : `The latest: ${kind.toLowerCase()} at ${at}.`,
    eventId: event.id,
    eventKind: event.kind,
    eventCount,
  };
}

/**
 * "<camera>: battery low" / "<camera> is not charging": the camera's battery
 * needs a charger (`alarm`, the rule of `protocol/battery-alarm.ts`), with
 * the level in % and the viewer's own warning text.
 */
export function batteryNotification(
  camera: NotifiedCamera,
  alarm: BatteryAlarm,
  battery: { level: number; notChargingForMs: number },
  nowMs: number,
): NotificationContent {
  const percent = Math.round(battery.level * 100);
  return {
    ...base(camera, nowMs),
    kind: 'battery-low',
    title: alarm.kind === 'low' ? `${camera.name}: battery low` : `${camera.name} is not charging`,
    body: `${batteryAlarmText(alarm)}, at ${percent} %. Plug the camera in.`,
    alarm: alarm.kind,
    batteryLevel: battery.level,
    notChargingForMs: battery.notChargingForMs,
  };
}
