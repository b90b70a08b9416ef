import { availableParallelism, loadavg } from 'node:os';
import type { MotionEvent, PushPayload } from '../../protocol/index.js';
import { launchChromium } from '../../tests/support/browser.js';
import { pairCameraPage } from '../../tests/support/camera-page.js';
import { footageFile, stillMotionStill } from '../../tests/support/motion-footage.js';
import { footageFrame } from '../../tests/support/media.js';
import { startPushRig, type PushRig } from '../../tests/support/push-rig.js';
import { newEventId, pairCamera } from '../../tests/support/recording-client.js';
import { signInToViewer } from '../../tests/support/viewer-page.js';
import type { Page } from '@playwright/test';
import { figureMaker, type Figure, type SectionResult } from '../report.js';
import type { BenchOptions, Section } from '../section.js';
import { maximum, percentile } from '../stats.js';

/** Goal from motion in the footage to the push decrypted at the push service, p50, ms. */
const TARGET_P50_MS = 2_000;
/** Goal from motion in the footage to the event shown in an open viewer's Events list, p50, ms. */
const SHOWN_TARGET_P50_MS = 1_500;
/** Events measured for the latency (over `CAMERAS` camera pages at once). */
const EVENTS = 12;
const CAMERAS = 2;
/**
 * The footage each camera loops: 1 s still, 2 s of people walking, 11 s still
 * (the camera ends an event after 10 s without motion, so each loop is one event).
 */
const FOOTAGE = stillMotionStill(1, 2, 11);
/** Subscriptions one event fans out to, and events sent for the fan-out. */
const FAN_OUT = 100;
const FAN_OUT_TRIALS = 5;
/** Longest wait for a section's pushes before giving up, ms. */
const WAIT_MS = 6 * 60_000;
const figure = figureMaker('notifications');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done()` or `WAIT_MS`. @throws Error on timeout */
async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A user of the rig's server with `count` browsers subscribed to the stand-in. @returns the user's email, token and the subscription ids */
async function subscribedUser(rig: PushRig, count: number): Promise<{ email: string; accessToken: string; subscriptionIds: string[] }> {
  const { accessToken, user } = await rig.server.register();
  const subscriptionIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const { id, ...subscription } = rig.push.subscribe();
    const res = await rig.server.request('POST', '/api/push/subscriptions', {
      auth: `Bearer ${accessToken}`,
      body: { subscription, name: `Bench ${i}` },
    });
    if (res.status !== 201) throw new Error(`subscribing failed: ${res.status}`);
    subscriptionIds.push(id);
  }
  return { email: user.email, accessToken, subscriptionIds };
}

/**
 * Opens the Events list in a signed-in viewer `page` and notes, on every
 * animation frame, when each event's row is first rendered there
 * (`Date.now()`, the machine's clock, as the camera's). @returns reads event id → shown at, ms since the epoch
 */
async function watchEventsList(page: Page, baseURL: string, email: string): Promise<() => Promise<Map<string, number>>> {
  await signInToViewer(page, baseURL, email);
  await page.getByRole('button', { name: 'Events' }).click();
  await page.getByRole('heading', { name: 'Events' }).waitFor();
  // A string, not a function: tsx wraps named functions in a helper the page does not have.
  await page.evaluate(`(() => {
    const shown = {};
    window.shownAtMs = shown;
    const find = (root) => {
      const here = root.querySelector('pw-events-view');
      if (here) return here;
      for (const element of root.querySelectorAll('*')) {
        const inside = element.shadowRoot && find(element.shadowRoot);
        if (inside) return inside;
      }
      return null;
    };
    const look = () => {
      const view = find(document);
      const rows = view?.shadowRoot?.querySelectorAll('ul[aria-label="Events"] > li').length ?? 0;
      // Rows and the list match once Lit has rendered it: then every listed event is on screen.
      if (view?.events && rows === view.events.length) {
        for (const { id } of view.events) shown[id] ??= Date.now();
      }
      requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  })()`);
  return async () => new Map(Object.entries(await page.evaluate(() => (window as unknown as { shownAtMs: Record<string, number> }).shownAtMs)));
}

/**
 * Motion → push and → shown: camera pages in headless Chromium whose fake
 * cameras loop footage with people walking, and a viewer page with the Events
 * list open; for each event, from its start (the time of the first frame with
 * motion, which the camera reports) to its push arriving decrypted at the
 * stand-in, and to its row first rendered in the viewer's list, ms.
 */
async function motionToPush(log: (m: string) => void): Promise<{ pushed: number[]; shown: number[] }> {
  const rig = await startPushRig({ NOTIFY_EVENT_COOLDOWN_MS: '0' });
  const browsers = await Promise.all(
    Array.from({ length: CAMERAS }, () => launchChromium({ fakeVideo: footageFile(FOOTAGE, 320, 240) })),
  );
  const viewerBrowser = await launchChromium();
  try {
    const { email, accessToken, subscriptionIds } = await subscribedUser(rig, 1);
    const subscriptionId = subscriptionIds[0]!;
    const shownAt = await watchEventsList(await viewerBrowser.newPage(), rig.server.baseURL, email);
    for (const [i, browser] of browsers.entries()) {
      await pairCameraPage(rig.server, accessToken, await (await browser.newContext()).newPage(), `Bench camera ${i + 1}`);
    }
    await until(() => rig.push.pushesFor(subscriptionId).length >= EVENTS, `${EVENTS} event pushes`);
    const events = await rig.server.request('GET', '/api/events?limit=200', { auth: `Bearer ${accessToken}` });
    const startOf = new Map((events.body.events as MotionEvent[]).map((event) => [event.id, event.startedAtMs]));
    // Each event's first push (one told as motion is told again once its camera finds a person in it).
    const told = new Set<string>();
    const pushed = rig.push.pushesFor(subscriptionId).flatMap((received) => {
      const { notification } = received.payload as PushPayload;
      if (notification.kind !== 'camera-event' || told.has(notification.eventId)) return [];
      told.add(notification.eventId);
      const startedAtMs = startOf.get(notification.eventId);
      return startedAtMs === undefined ? [] : [received.receivedAtMs - startedAtMs];
    });
    const shown = [...(await shownAt()).entries()].flatMap(([id, shownAtMs]) => {
      const startedAtMs = startOf.get(id);
      return startedAtMs === undefined ? [] : [shownAtMs - startedAtMs];
    });
    log(`notifications: ${pushed.length} events from motion to push, ${shown.length} to the viewer's list`);
    return { pushed, shown };
  } finally {
    await viewerBrowser.close();
    await Promise.all(browsers.map((browser) => browser.close()));
    await rig.server.stop();
    await rig.push.close();
  }
}

/**
 * Fan-out: one event (reported and its thumbnail uploaded over the API, as a
 * camera does) to a household whose user has `FAN_OUT` browsers subscribed,
 * from the event's PUT to the last of its pushes decrypted at the stand-in, ms.
 */
async function fanOut(log: (m: string) => void): Promise<number[]> {
  const rig = await startPushRig();
  try {
    const { accessToken, subscriptionIds } = await subscribedUser(rig, FAN_OUT);
    const thumbnail = new Uint8Array(footageFrame(2, 'jpg', 180));
    const times: number[] = [];
    for (let trial = 0; trial < FAN_OUT_TRIALS; trial++) {
      const camera = await pairCamera(rig.server, accessToken, `Fan-out camera ${trial + 1}`);
      const before = rig.push.received.length;
      const id = newEventId();
      const sentAtMs = Date.now();
      const event = { kind: 'motion', startedAtMs: sentAtMs, endedAtMs: null, score: 0.5, box: { x: 0, y: 0, width: 1, height: 1 } };
      const put = await rig.server.request('PUT', `/api/events/${id}`, { auth: camera.auth, body: event });
      if (put.status !== 201) throw new Error(`event failed: ${put.status}`);
      await fetch(`${rig.server.baseURL}/api/events/${id}/thumbnail`, {
        method: 'PUT',
        headers: { authorization: camera.auth, 'content-type': 'image/jpeg' },
        body: thumbnail,
      });
      await until(() => rig.push.received.length - before >= subscriptionIds.length, `${FAN_OUT} pushes`);
      times.push(Math.max(...rig.push.received.slice(before).map((received) => received.receivedAtMs)) - sentAtMs);
    }
    log(`notifications: fan-out to ${FAN_OUT} subscriptions, ${times.length} trials`);
    return times;
  } finally {
    await rig.server.stop();
    await rig.push.close();
  }
}

/**
 * Notifications: how soon motion in real footage reaches a push service as
 * a decrypted Web Push message (real camera pages, the real server, `web-push`
 * and the push service stand-in on loopback), and how long one event takes
 * to reach 100 subscriptions.
 */
export const notificationsSection: Section = {
  name: 'notifications',
  description: `motion in footage → push decrypted at a push service stand-in (p50/max over ${EVENTS} events), 1 event → ${FAN_OUT} subscriptions`,
  async run(options: BenchOptions): Promise<SectionResult> {
    const loadBefore = loadavg()[0]!;
    const { pushed, shown } = await motionToPush(options.log);
    const spread = await fanOut(options.log);
    const figures: Figure[] = [
      figure('motion → push decrypted, p50', percentile(pushed, 50), 'ms', TARGET_P50_MS),
      figure('motion → push decrypted, max', maximum(pushed), 'ms'),
      figure('events measured', pushed.length, 'count'),
      figure("motion → event shown in an open viewer's Events list, p50", percentile(shown, 50), 'ms', SHOWN_TARGET_P50_MS),
      figure("motion → event shown in an open viewer's Events list, max", maximum(shown), 'ms'),
      figure('events shown', shown.length, 'count'),
      figure(`1 event → all ${FAN_OUT} subscriptions delivered, p50`, percentile(spread, 50), 'ms'),
      figure(`1 event → all ${FAN_OUT} subscriptions delivered, max`, maximum(spread), 'ms'),
    ];
    return {
      figures,
      notes: [
        `motion → shown: the same events, to the first animation frame in which the viewer's open Events list has rendered the event's row (pushed to the page on the household event stream)`,
        `motion → push: ${CAMERAS} camera pages at 320×240 looping footage (1 s still, 2 s people walking, 11 s still), from the event's start (its first frame with motion, which the camera reports; the camera needs 3 motion frames in a row, 0.6 s at 5 fps, before it reports) through the thumbnail upload, to the push arriving decrypted; cooldown off so every event is pushed`,
        `fan-out: ${FAN_OUT_TRIALS} events, each from its PUT to the last of ${FAN_OUT} pushes decrypted, over HTTPS keep-alive to one stand-in on loopback; the 1-minute load average was ${loadBefore.toFixed(1)} at the start (on ${availableParallelism()} cores)`,
      ],
    };
  },
};
