import { test, expect } from '@playwright/test';
import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format';
import { TestServer } from '../support/server.js';
import { connectCamera } from '../support/camera-socket.js';
import { newEventId, newRecordingId, pairCamera, randomChunks, uploadRecording } from '../support/recording-client.js';
import { pushesOf, startPushRig, subscribeBrowser } from '../support/push-rig.js';
import { offerTo, openSignalingSocket } from '../support/signaling-client.js';

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

async function scrape(from: TestServer = server): Promise<MetricFamily[]> {
  const res = await fetch(`${from.baseURL}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
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

test('calls relayed, chunks and bytes stored, camera events and push messages are counted as they happen', async () => {
  const rig = await startPushRig({ METRICS_TOKEN });
  try {
    const { server: pushing } = rig;
    const owner = await pushing.register();
    const subscriptionId = await subscribeBrowser(rig, owner);
    const camera = await pairCamera(pushing, owner.accessToken, 'Hall');
    const count = async (name: string, labels: Record<string, string> = {}) => value(await scrape(pushing), name, labels);
    expect(await count('peerwatch_calls_relayed_total')).toBe(0);

    // A viewer's media OFFER to the camera, relayed by signaling: one call; an OFFER to nobody online is none.
    const cameraSocket = await openSignalingSocket(pushing, camera.auth);
    const viewerSocket = await openSignalingSocket(pushing, `Bearer ${owner.accessToken}`);
    viewerSocket.ws.send(offerTo(cameraSocket.peerId));
    await expect.poll(() => cameraSocket.received.some((message) => message.type === 'OFFER')).toBe(true);
    expect(await count('peerwatch_calls_relayed_total')).toBe(1);
    cameraSocket.ws.close();
    await expect.poll(() => count('peerwatch_cameras_online')).toBe(0);
    viewerSocket.ws.send(offerTo(cameraSocket.peerId, 'mc_2'));
    // The server answers EXPIRE once it gives up on delivering it (PeerJS protocol): handled, and not counted.
    await expect.poll(() => viewerSocket.received.some((message) => message.type === 'EXPIRE'), { timeout: 15_000 }).toBe(true);
    expect(await count('peerwatch_calls_relayed_total')).toBe(1);
    viewerSocket.ws.close();

    // Three chunks of 1 000 bytes.
    const recordingId = newRecordingId();
    const chunks = randomChunks(3, 1_000, Date.now() - 30_000);
    await uploadRecording(pushing, camera, recordingId, chunks);
    expect(await count('peerwatch_chunks_stored_total')).toBe(3);
    expect(await count('peerwatch_chunk_bytes_stored_total')).toBe(3_000);

    // One event starts (its end is the same event), and its push is delivered.
    const eventId = newEventId();
    const event = { kind: 'person', startedAtMs: Date.now() - 5_000, endedAtMs: null, score: 0.4, box: { x: 0, y: 0, width: 1, height: 1 } };
    expect((await pushing.request('PUT', `/api/events/${eventId}`, { auth: camera.auth, body: event })).status).toBe(201);
    expect((await pushing.request('PUT', `/api/events/${eventId}`, { auth: camera.auth, body: { ...event, endedAtMs: Date.now() } })).status).toBe(200);
    expect(await count('peerwatch_camera_events_total', { kind: 'person' })).toBe(1);
    expect(await count('peerwatch_camera_events_total', { kind: 'motion' })).toBe(0);
    await pushesOf(rig, subscriptionId, 1);
    await expect.poll(() => count('peerwatch_push_messages_total', { outcome: 'delivered' })).toBe(1);
    expect(await count('peerwatch_push_messages_total', { outcome: 'failed' })).toBe(0);
  } finally {
    await rig.server.stop();
    await rig.push.close();
  }
});

test('with no METRICS_TOKEN set there are no metrics', async () => {
  const bare = await TestServer.start();
  try {
    expect((await fetch(`${bare.baseURL}/metrics`)).status).toBe(404);
  } finally {
    await bare.stop();
  }
});
