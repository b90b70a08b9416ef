import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checkHaproxyConfig, DEPLOY_HAPROXY_CONFIG, haproxyConfigFor } from '../support/haproxy.js';

const template = readFileSync(DEPLOY_HAPROXY_CONFIG, 'utf8');

function checkText(text: string): { status: number | null; output: string } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'peerwatch-haproxy-test-')), 'haproxy.cfg');
  writeFileSync(file, text);
  return checkHaproxyConfig(file);
}

test('haproxy accepts the deployed configuration (haproxy -c)', () => {
  const { status, output } = checkHaproxyConfig(DEPLOY_HAPROXY_CONFIG);
  assert.equal(status, 0, output);
  assert.match(output, /Configuration file is valid/);
});

test('the deployed configuration upgrades WebSockets into long tunnels, checks /healthz and passes the client address on', () => {
  assert.match(template, /^\s*timeout tunnel 1h$/m);
  assert.match(template, /^\s*option httpchk$/m);
  assert.match(template, /^\s*http-check send meth GET uri \/healthz /m);
  assert.match(template, /^\s*http-check expect status 200$/m);
  assert.match(template, /^\s*balance leastconn$/m);
  assert.match(template, /^\s*option forwardfor$/m);
  assert.match(template, /^\s*http-request del-header X-Forwarded-For$/m);
  assert.match(template, /^\s*http-request set-timeout server 1h if \{ path \/api\/stream \}$/m);
  assert.doesNotMatch(template, /http-buffer-request|compression /, 'nothing may buffer uploads or event streams');
});

test('the configuration for a test cluster points every backend at its instances and still passes haproxy -c', () => {
  const text = haproxyConfigFor(template, 41000, [41001, 41002]);
  assert.match(text, /^\s*bind 127\.0\.0\.1:41000$/m);
  assert.doesNotMatch(text, /^\s*bind \*:80/m);
  for (const backend of ['peerwatch', 'peerwatch_any_up']) {
    const block = text.split(/^(?=backend )/m).find((b) => b.startsWith(`backend ${backend}\n`))!;
    const servers = block.split('\n').filter((line) => /^\s*server /.test(line)).map((line) => line.trim());
    assert.deepEqual(servers, ['server peerwatch1 127.0.0.1:41001 check', 'server peerwatch2 127.0.0.1:41002 check']);
  }
  const { status, output } = checkText(text);
  assert.equal(status, 0, output);
});

test('haproxy -c refuses a broken configuration (the check can fail)', () => {
  const { status, output } = checkText(template.replace('timeout tunnel 1h', 'timeout tunnel forever'));
  assert.notEqual(status, 0);
  assert.match(output, /ALERT/);
});

test('a template without the frontend bind line is refused', () => {
  assert.throws(() => haproxyConfigFor(template.replace('bind *:80', 'bind *:8000'), 1, [2]), /bind \*:80/);
});
