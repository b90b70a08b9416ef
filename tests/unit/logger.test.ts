import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEBUG_SETTING_KEY, log } from '../../pwa/shared/logger.js';

/** What the logger wrote, by console method. */
let written: Array<[string, unknown[]]>;
const originals = { debug: console.debug, info: console.info, warn: console.warn, error: console.error };
let stored: Record<string, string>;

/** The page the logger runs in: its URL and its localStorage. */
function page(url: string): void {
  Object.defineProperty(globalThis, 'location', { value: new URL(url), configurable: true });
}

beforeEach(() => {
  written = [];
  stored = {};
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    console[level] = (...args: unknown[]) => written.push([level, args]);
  }
  Object.defineProperty(globalThis, 'localStorage', {
    value: { getItem: (key: string) => stored[key] ?? null },
    configurable: true,
  });
  page('http://localhost:8080/viewer');
});

afterEach(() => {
  Object.assign(console, originals);
});

test('warnings and errors are always written, with their details; debug and info are not by default', () => {
  const error = new Error('boom');
  log.debug('quiet');
  log.info('quiet too');
  log.warn('the wish could not be stored', error);
  log.error('failed', 42);
  assert.deepEqual(written, [
    ['warn', ['[peerwatch]', 'the wish could not be stored', error]],
    ['error', ['[peerwatch]', 'failed', 42]],
  ]);
});

test('?debug in the URL turns on debug and info output', () => {
  page('http://localhost:8080/viewer?debug');
  log.debug('dialling failed', 'peer-1');
  log.info('no microphone');
  assert.deepEqual(written, [
    ['debug', ['[peerwatch]', 'dialling failed', 'peer-1']],
    ['info', ['[peerwatch]', 'no microphone']],
  ]);
});

test('the localStorage setting turns on debug output without a reload', () => {
  log.debug('before');
  stored[DEBUG_SETTING_KEY] = '1';
  log.debug('after');
  assert.deepEqual(written, [['debug', ['[peerwatch]', 'after']]]);
});

test('a localStorage that refuses to be read leaves debug output off and says why', () => {
  const refusal = new Error('SecurityError');
  Object.defineProperty(globalThis, 'localStorage', {
    value: {
      getItem: () => {
        throw refusal;
      },
    },
    configurable: true,
  });
  log.debug('hidden');
  assert.deepEqual(written, [['warn', ['[peerwatch]', 'cannot read the debug setting', refusal]]]);
});
