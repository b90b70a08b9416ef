import { afterEach, beforeEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_FREE_BYTES, StorageGuard } from '../../pwa/camera/recording/storage-guard.js';

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** The Storage API the guard reads (W3C Storage Standard), with the numbers a test sets. */
const storage = {
  usage: 0,
  quota: 100 * GB,
  persistedNow: false,
  persistAsked: 0,
  estimate: async () => ({ usage: storage.usage, quota: storage.quota }),
  persisted: async () => storage.persistedNow,
  persist: async () => {
    storage.persistAsked++;
    return (storage.persistedNow = true);
  },
};

let guard: StorageGuard;
let changes: boolean[];

beforeEach(() => {
  Object.assign(storage, { usage: 0, quota: 100 * GB, persistedNow: false, persistAsked: 0 });
  Object.defineProperty(globalThis, 'navigator', { value: { storage }, configurable: true });
  mock.timers.enable({ apis: ['Date', 'setInterval'], now: 1_700_000_000_000 });
  guard = new StorageGuard();
  changes = [];
  guard.on('change', () => changes.push(guard.low));
});

afterEach(() => {
  guard.stop();
  mock.timers.reset();
});

/** Sets the free quota and takes a reading. */
async function freeBytes(bytes: number): Promise<boolean> {
  storage.usage = storage.quota - bytes;
  await guard.check();
  return guard.low;
}

test('asks once for persistent storage and reads the estimate', async () => {
  await guard.start();
  assert.equal(storage.persistAsked, 1);
  assert.equal(guard.persisted, true);
  assert.deepEqual(guard.reading, { usageBytes: 0, quotaBytes: 100 * GB, freeBytes: 100 * GB });
  assert.equal(guard.low, false);
});

test('low under 200 MiB free; back only at 1.25 times that, so it does not flap', async () => {
  assert.equal(await freeBytes(MIN_FREE_BYTES + MB), false);
  assert.equal(await freeBytes(MIN_FREE_BYTES - MB), true);
  assert.equal(await freeBytes(MIN_FREE_BYTES + 10 * MB), true);
  assert.equal(await freeBytes(MIN_FREE_BYTES * 1.25 - MB), true);
  assert.equal(await freeBytes(MIN_FREE_BYTES * 1.25 + MB), false);
  assert.deepEqual(changes, [true, false]);
});

test('a small quota uses a tenth of it as the threshold', async () => {
  storage.quota = GB;
  assert.equal(await freeBytes(105 * MB), false);
  assert.equal(await freeBytes(100 * MB), true);
});

test('a write refused for lack of quota makes it low for 15 s, whatever the estimate says', async () => {
  await freeBytes(50 * GB);
  guard.markFull();
  assert.equal(guard.low, true);
  mock.timers.tick(14_000);
  assert.equal(await freeBytes(50 * GB), true);
  mock.timers.tick(2_000);
  assert.equal(await freeBytes(50 * GB), false);
  assert.deepEqual(changes, [true, false]);
});

test('the estimate is read again every 10 s while nothing else asks', async () => {
  await guard.start();
  storage.usage = storage.quota - MB;
  mock.timers.tick(9_000);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(guard.low, false);
  mock.timers.tick(1_000);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(guard.low, true);
});
