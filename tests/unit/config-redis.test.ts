import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../signal-server/config.js';

const redisUrlOf = (env: Record<string, string>) =>
  loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'peerwatch-config-')), JWT_SECRET: 'test-secret', ...env }).redisUrl;

test('without REDIS_URL (or with it empty) everything stays in this process', () => {
  assert.equal(redisUrlOf({}), null);
  assert.equal(redisUrlOf({ REDIS_URL: '' }), null);
});

test('REDIS_URL takes redis: and rediss: URLs as they are', () => {
  assert.equal(redisUrlOf({ REDIS_URL: 'redis://127.0.0.1:6379' }), 'redis://127.0.0.1:6379');
  assert.equal(redisUrlOf({ REDIS_URL: 'rediss://user:secret@redis.example:6380/2' }), 'rediss://user:secret@redis.example:6380/2');
});

test('any other REDIS_URL is an error that does not repeat it (it may hold a password)', () => {
  for (const value of ['127.0.0.1:6379', 'http://redis.example', 'redis']) {
    assert.throws(
      () => redisUrlOf({ REDIS_URL: value }),
      (err: Error) => err.message === 'REDIS_URL must be a redis:// or rediss:// URL',
    );
  }
});
