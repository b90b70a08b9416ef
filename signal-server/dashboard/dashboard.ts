import type { StatsFs } from 'node:fs';
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { DASHBOARD_HOURS, type Dashboard, type DashboardCamera, type RecordingBlocker } from '../../protocol/index.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import type { RecordingsConfig } from '../config.js';
import type { MotionEventRow, RecordingControlRecord, Store } from '../store/store.js';

const HOUR_MS = 3_600_000;

/** What the dashboard reads. */
export interface DashboardDeps {
  store: Store;
  presence: PresenceTracker;
  recordings: Pick<RecordingsConfig, 'dir' | 'maxAgeMs' | 'maxBytesPerCamera' | 'objectStorage'>;
  version: string;
  /** When this server started, ms since the epoch. */
  startedAtMs: number;
}

/** Why a camera the household wants recording does not record (null when it records or is not asked to). */
export function recordingBlocker(control: RecordingControlRecord, online: boolean): RecordingBlocker | null {
  if (!control.enabled) return null;
  if (!online) return 'offline';
  return control.recording ? null : control.problem;
}

/** Counts of `events` begun in each of the `DASHBOARD_HOURS` hours up to `nowMs`, oldest first. */
export function eventsByHour(events: readonly Pick<MotionEventRow, 'startedAtMs'>[], nowMs: number): number[] {
  const buckets = new Array<number>(DASHBOARD_HOURS).fill(0);
  const fromMs = nowMs - DASHBOARD_HOURS * HOUR_MS;
  for (const { startedAtMs } of events) {
    if (startedAtMs < fromMs || startedAtMs > nowMs) continue;
    buckets[Math.min(DASHBOARD_HOURS - 1, Math.floor((startedAtMs - fromMs) / HOUR_MS))]! += 1;
  }
  return buckets;
}

/** The server's local midnight before `nowMs`. */
function localMidnight(nowMs: number): number {
  const day = new Date(nowMs);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}

/**
 * `statfs(2)` of the file system that holds (or will hold) `dir`: the folder
 * itself, or its nearest existing parent before the first recording makes it.
 * @throws NodeJS.ErrnoException other than ENOENT
 */
async function fileSystemOf(dir: string): Promise<StatsFs> {
  try {
    return await statfs(dir);
  } catch (error) {
    const parent = path.dirname(dir);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === dir) throw error;
    return fileSystemOf(parent);
  }
}

/** Sums `bytes` of `items` by camera. */
function bytesByCamera<T extends { deviceId: string }>(items: readonly T[], bytes: (item: T) => number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const item of items) sums.set(item.deviceId, (sums.get(item.deviceId) ?? 0) + bytes(item));
  return sums;
}

/**
 * The household at a glance (`GET /api/dashboard`): each camera's presence,
 * recording and why it cannot record, its stored bytes (recordings and event
 * images, footage of removed cameras counting toward the total only), its
 * events today (since `dayStartMs`) and per hour over the last day; the disk's
 * free space (`statfs(2)` of the recordings' folder; null in object storage),
 * the retention limits, and the server's version and uptime.
 * @throws NodeJS.ErrnoException when statfs cannot read the recordings' file system
 */
export async function householdDashboard(deps: DashboardDeps, householdId: string, dayStartMs: number | undefined): Promise<Dashboard> {
  const { store, presence } = deps;
  const now = Date.now();
  const todayFromMs = dayStartMs ?? localMidnight(now);
  const [devices, recordings, events] = await Promise.all([
    store.devices.listByHousehold(householdId),
    store.recordings.list({ householdId }),
    store.motionEvents.list({ householdId, limit: Number.MAX_SAFE_INTEGER }),
  ]);
  const recordingBytes = bytesByCamera(recordings, (r) => r.sizeBytes);
  const imageBytes = bytesByCamera(events, (e) => e.imageBytes);
  const cameras: DashboardCamera[] = [];
  for (const device of devices) {
    const online = presence.isOnline(device.id);
    const control = await store.recordingControls.get(device.id);
    const own = events.filter((event) => event.deviceId === device.id);
    cameras.push({
      deviceId: device.id,
      name: device.name,
      online,
      recording: online && control.recording,
      cannotRecord: recordingBlocker(control, online),
      storageBytes: (recordingBytes.get(device.id) ?? 0) + (imageBytes.get(device.id) ?? 0),
      eventsToday: own.filter((event) => event.startedAtMs >= todayFromMs && event.startedAtMs <= now).length,
      eventsByHour: eventsByHour(own, now),
    });
  }
  const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);
  const disk = deps.recordings.objectStorage ? null : await fileSystemOf(deps.recordings.dir);
  return {
    generatedAtMs: now,
    cameras,
    totals: {
      online: cameras.filter((c) => c.online).length,
      offline: cameras.filter((c) => !c.online).length,
      recording: cameras.filter((c) => c.recording).length,
      eventsToday: events.filter((event) => event.startedAtMs >= todayFromMs && event.startedAtMs <= now).length,
      storageBytes: sum(recordingBytes.values()) + sum(imageBytes.values()),
    },
    storage: {
      where: disk ? 'disk' : 'object-storage',
      freeBytes: disk ? disk.bavail * disk.bsize : null,
      diskBytes: disk ? disk.blocks * disk.bsize : null,
      maxBytesPerCamera: deps.recordings.maxBytesPerCamera,
      maxAgeMs: deps.recordings.maxAgeMs,
    },
    server: { version: deps.version, uptimeMs: now - deps.startedAtMs },
  };
}
