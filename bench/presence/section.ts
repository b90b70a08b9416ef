import type { WebSocket } from 'ws';
import { pairCamera, type PairedCamera } from '../../tests/support/recording-client.js';
import { TestServer } from '../../tests/support/server.js';
import type { Figure, SectionResult } from '../report.js';
import type { BenchOptions, Section } from '../section.js';
import { maximum, percentile } from '../stats.js';
import { HouseholdEvents, presenceOf } from '../support/household-events.js';
import { HEARTBEAT_INTERVAL_MS, openPeerSocket, startHeartbeat } from '../support/peer-socket.js';
import { mintTicket, signalingUrl } from '../support/peerwatch-client.js';

/** Presence targets, ms. */
const MAX_CLOSE_MS = 2_000;
const MAX_VANISH_MS = 15_000;
/** Longest wait for a presence event, ms. */
const EVENT_TIMEOUT_MS = 30_000;

interface CameraSocket {
  ws: WebSocket;
  stopHeartbeat: () => void;
}

/** Opens a camera's signaling socket (ticket minted with its device credential) and starts its heartbeat. */
async function connectCamera(baseURL: string, camera: PairedCamera): Promise<CameraSocket> {
  const ticket = await mintTicket(baseURL, camera.auth);
  const ws = await openPeerSocket(signalingUrl(baseURL, ticket), { timeoutMs: 10_000 });
  return { ws, stopHeartbeat: startHeartbeat(ws) };
}

/** Connects a camera and waits until the viewer is told it is online. */
async function connectOnline(baseURL: string, events: HouseholdEvents, camera: PairedCamera): Promise<CameraSocket> {
  const online = events.next(presenceOf(camera.deviceId, true), EVENT_TIMEOUT_MS);
  const socket = await connectCamera(baseURL, camera);
  await online;
  return socket;
}

/** Clean close: the camera sends a close frame; ms until the viewer's `online:false`. */
async function closeTrial(baseURL: string, events: HouseholdEvents, camera: PairedCamera): Promise<number> {
  const { ws, stopHeartbeat } = await connectOnline(baseURL, events, camera);
  const offline = events.next(presenceOf(camera.deviceId, false), EVENT_TIMEOUT_MS);
  const startMs = performance.now();
  stopHeartbeat();
  ws.close(1000);
  return (await offline) - startMs;
}

/**
 * Vanish: all cameras online, then each, at a random moment of its second
 * heartbeat interval, stops its heartbeat and stops reading its socket
 * without a close frame (as if its network were gone); ms from that moment
 * until the viewer's `online:false`, one sample per camera.
 */
async function vanishTrials(baseURL: string, events: HouseholdEvents, cameras: PairedCamera[]): Promise<number[]> {
  const sockets = await Promise.all(cameras.map((camera) => connectOnline(baseURL, events, camera)));
  try {
    return await Promise.all(
      cameras.map(async (camera, i) => {
        // After at least one heartbeat, at a random phase of the heartbeat cycle.
        await new Promise((resolve) => setTimeout(resolve, (1 + Math.random()) * HEARTBEAT_INTERVAL_MS));
        const offline = events.next(presenceOf(camera.deviceId, false), EVENT_TIMEOUT_MS);
        const startMs = performance.now();
        sockets[i]!.stopHeartbeat();
        sockets[i]!.ws.pause();
        return (await offline) - startMs;
      }),
    );
  } finally {
    for (const { ws } of sockets) ws.terminate();
  }
}

function figures(name: string, samples: number[], targetMaxMs: number): Figure[] {
  const figure = (stat: string, value: number): Figure => ({
    section: 'presence',
    name: `${name} → viewer told offline, ${stat} of ${samples.length}`,
    value,
    unit: 'ms',
    targetMax: targetMaxMs,
  });
  return [figure('p50', percentile(samples, 50)), figure('max', maximum(samples))];
}

/**
 * Presence speed: time from a camera's signaling socket closing
 * (clean close frame) or vanishing (no close frame, no heartbeats) to an open
 * viewer's SSE `presence` event with `online:false`.
 */
export const presenceSection: Section = {
  name: 'presence',
  description: 'camera socket closed / vanished → viewer told offline (SSE), p50/max over --trials each',
  async run(options: BenchOptions): Promise<SectionResult> {
    // Pairing claims are rate-limited per address; the benchmark pairs one camera per trial.
    const server = await TestServer.start({ env: { AUTH_RATE_LIMIT: String(Math.max(30, options.trials + 10)) } });
    const baseURL = `http://127.0.0.1:${server.port}`;
    try {
      const session = await server.register();
      const cameras: PairedCamera[] = [];
      for (let i = 0; i < options.trials; i++) cameras.push(await pairCamera(server, session.accessToken, `Bench camera ${i + 1}`));
      const events = await HouseholdEvents.open(baseURL, `Bearer ${session.accessToken}`);
      try {
        options.log(`presence: ${options.trials} clean closes`);
        const closeMs: number[] = [];
        for (const camera of cameras) closeMs.push(await closeTrial(baseURL, events, camera));
        options.log(`presence: ${options.trials} cameras vanishing in parallel`);
        const vanishMs = await vanishTrials(baseURL, events, cameras);
        options.log(`presence: closed ${closeMs.map((ms) => ms.toFixed(1)).join(' ')} ms`);
        options.log(`presence: vanished ${vanishMs.map((ms) => ms.toFixed(0)).join(' ')} ms`);
        return {
          figures: [
            ...figures('camera socket closed', closeMs, MAX_CLOSE_MS),
            ...figures('camera vanished', vanishMs, MAX_VANISH_MS),
          ],
          notes: [
            'Vanish = the camera stops its heartbeat and stops reading its socket, no close frame; the server drops it after ' +
              'its alive timeout (SIGNALING_ALIVE_TIMEOUT_MS, default 11 000 ms) counted from the last heartbeat (every 5 000 ms), ' +
              'so the expected time is 6–11 s plus the check interval.',
          ],
        };
      } finally {
        events.close();
      }
    } finally {
      await server.stop();
    }
  },
};
