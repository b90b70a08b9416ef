import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../signal-server/config.js';

const configWith = (env: Record<string, string>) =>
  loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'peerwatch-config-')), JWT_SECRET: 'test-secret', ...env });
const redisUrlOf = (env: Record<string, string>) => configWith(env).redisUrl;

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

test('INSTANCE_ID names the instance instead of DATA_DIR/instance-id; a malformed one is an error', () => {
  assert.equal(configWith({ INSTANCE_ID: 'peerwatch-home_1' }).instanceId, 'peerwatch-home_1');
  assert.match(configWith({ INSTANCE_ID: '' }).instanceId, /^[A-Za-z0-9_-]{22}$/);
  for (const value of ['has space', 'a/b', 'x'.repeat(65)]) {
    assert.throws(() => configWith({ INSTANCE_ID: value }), /INSTANCE_ID must be 1 to 64 letters/);
  }
});
