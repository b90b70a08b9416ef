import { test, expect } from '@playwright/test';
import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format';
import { TestServer } from '../support/server.js';
import { connectCamera } from '../support/camera-socket.js';
import { pairCamera } from '../support/recording-client.js';

/**
 * `GET /metrics`: only with `METRICS_TOKEN`, in the Prometheus text format
 * (read back with a parser of that format), and its figures move when a
 * camera connects and requests are answered.
 */
const METRICS_TOKEN = 'metrics-secret-for-tests-0123456789';
let server: TestServer;
test.beforeAll(async () => {
  server = await TestServer.start({ env: { METRICS_TOKEN } });
});
test.afterAll(async () => {
  await server?.stop();
});

async function scrape(): Promise<MetricFamily[]> {
  const res = await fetch(`${server.baseURL}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return parsePrometheusTextFormat(await res.text());
}

const value = (families: MetricFamily[], name: string, labels: Record<string, string> = {}): number => {
  const family = families.find((f) => f.name === name);
  const metric = family?.metrics.find((m) => Object.entries(labels).every(([key, v]) => m.labels?.[key] === v));
  return Number(metric?.value ?? 0);
};

test('metrics need the token, parse as Prometheus text, and move when a camera connects', async () => {
  expect((await fetch(`${server.baseURL}/metrics`)).status).toBe(401);
  expect((await fetch(`${server.baseURL}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);

  const before = await scrape();
  expect(before.map((f) => f.name)).toEqual(expect.arrayContaining(['process_cpu_seconds_total', 'nodejs_heap_size_used_bytes']));
  expect(value(before, 'peerwatch_cameras_online')).toBe(0);

  const owner = await server.register();
  const camera = await pairCamera(server, owner.accessToken, 'Porch');
  const socket = await connectCamera(server, camera);
  await expect.poll(async () => value(await scrape(), 'peerwatch_cameras_online')).toBe(1);
  const during = await scrape();
  expect(value(during, 'peerwatch_signaling_sockets')).toBe(1);
  expect(value(during, 'peerwatch_http_requests_total', { route: 'POST /api/pairings/claim', status: '201' })).toBe(1);
  expect(value(during, 'peerwatch_http_requests_total', { route: 'POST /api/signaling/tickets', status: '201' })).toBe(1);

  await socket.close();
  await expect.poll(async () => value(await scrape(), 'peerwatch_cameras_online')).toBe(0);
});

test('with no METRICS_TOKEN set there are no metrics', async () => {
  const bare = await TestServer.start();
  try {
    expect((await fetch(`${bare.baseURL}/metrics`)).status).toBe(404);
  } finally {
    await bare.stop();
  }
});
