import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { INSTANCE_ID_FILE, loadInstanceId } from '../../signal-server/startup/instance-id.js';

test('the instance id is made once into DATA_DIR and read back on every start', (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'peerwatch-instance-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const id = loadInstanceId(dataDir);
  assert.match(id, /^[A-Za-z0-9_-]{22}$/);
  const file = path.join(dataDir, INSTANCE_ID_FILE);
  assert.equal(readFileSync(file, 'utf8'), id);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(loadInstanceId(dataDir), id);
});

test('an instance id already in DATA_DIR is kept as it is (trimmed), another folder gets another', (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'peerwatch-instance-'));
  const other = mkdtempSync(path.join(tmpdir(), 'peerwatch-instance-'));
  t.after(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  });
  writeFileSync(path.join(dataDir, INSTANCE_ID_FILE), 'kept-id\n');
  assert.equal(loadInstanceId(dataDir), 'kept-id');
  assert.notEqual(loadInstanceId(other), 'kept-id');
});
