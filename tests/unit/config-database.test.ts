import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../signal-server/config.js';

const configWith = (env: Record<string, string>) =>
  loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'peerwatch-config-')), JWT_SECRET: 's', ...env });

test('DATABASE_URL picks PostgreSQL; unset or empty keeps SQLite; another kind of URL is refused', () => {
  assert.equal(configWith({}).databaseUrl, null);
  assert.equal(configWith({ DATABASE_URL: '' }).databaseUrl, null);
  assert.equal(configWith({ DATABASE_URL: 'postgres://pw@db:5432/peerwatch' }).databaseUrl, 'postgres://pw@db:5432/peerwatch');
  assert.equal(configWith({ DATABASE_URL: 'postgresql://db/peerwatch' }).databaseUrl, 'postgresql://db/peerwatch');
  assert.throws(() => configWith({ DATABASE_URL: 'mysql://db/peerwatch' }), /DATABASE_URL must be a postgres:\/\//);
});
