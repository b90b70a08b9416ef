import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test';
import { QUALITY_PRESETS, type QualityPreset } from '../../protocol/index.js';
import { launchChromium } from '../../tests/support/browser.js';
import { pairCameraPage } from '../../tests/support/camera-page.js';
import { tapPeerConnections } from '../../tests/support/peer-connections.js';
import { TestServer } from '../../tests/support/server.js';
import { signInToViewer } from '../../tests/support/viewer-page.js';
import { figureMaker, type Figure, type SectionResult } from '../report.js';
import type { BenchOptions, Section } from '../section.js';
import { cpuShare } from '../support/browser-cpu.js';
import { defineNameHelper } from '../support/browser-functions.js';

/** Viewers watching at once, one run each. */
const VIEWER_COUNTS = [1, 4];
/** CPU slow-downs of the camera page: none, and 4× standing in for an old phone (CDP `Emulation.setCPUThrottlingRate`). */
const THROTTLE_RATES = [1, 4];
/** Each CPU window, ms. */
const WINDOW_MS = 8_000;
/** Settling time after a change (preset applied, bitrate ramped, recorder restarted), ms. */
const SETTLE_MS = 3_000;
const PRESETS = Object.keys(QUALITY_PRESETS) as QualityPreset[];
const CAMERA_NAME = 'Bench camera';
const figure = figureMaker('camera-load');

/** The camera page's JS heap and DOM size (CDP `Performance.getMetrics`). */
async function pageMemory(cdp: CDPSession): Promise<{ heapBytes: number; nodes: number }> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  return { heapBytes: value('JSHeapUsedSize'), nodes: value('Nodes') };
}

/** What the camera page sends its first viewer now (outbound-rtp of the video, W3C webrtc-stats): frame height, px, and frames per second. */
function sentVideo(camera: Page): Promise<{ frameHeight: number; framesPerSecond: number }> {
  return camera.evaluate(async () => {
    const made = (window as unknown as { tappedPeerConnections: RTCPeerConnection[] }).tappedPeerConnections;
    const pc = made.find((p) => p.connectionState === 'connected');
    let sent = { frameHeight: Number.NaN, framesPerSecond: Number.NaN };
    (await pc?.getStats())?.forEach((r: { type: string; kind?: string; frameHeight?: number; framesPerSecond?: number }) => {
      if (r.type === 'outbound-rtp' && r.kind === 'video') sent = { frameHeight: r.frameHeight ?? 0, framesPerSecond: r.framesPerSecond ?? 0 };
    });
    return sent;
  });
}

/** A viewer page of its own context, signed in, watching the camera until a frame was decoded. */
async function openViewer(browser: Browser, server: TestServer, email: string): Promise<BrowserContext> {
  const context = await browser.newContext();
  const viewer = await context.newPage();
  await signInToViewer(viewer, server.baseURL, email);
  await viewer.getByRole('button', { name: `Watch ${CAMERA_NAME}`, exact: true, disabled: false }).click({ timeout: 20_000 });
  await viewer.getByLabel(`Live: ${CAMERA_NAME}`, { exact: true }).evaluate(
    (video: HTMLVideoElement) =>
      new Promise<void>((resolve) => {
        if (video.videoWidth > 0) resolve();
        else video.addEventListener('resize', () => resolve(), { once: true });
      }),
  );
  return context;
}

/** Sets the camera's quality preset through the API and waits until the camera page follows it. */
async function setPreset(server: TestServer, accessToken: string, deviceId: string, camera: Page, preset: QualityPreset) {
  const res = await server.request('PUT', `/api/devices/${deviceId}/controls`, {
    auth: `Bearer ${accessToken}`,
    body: { quality: preset },
  });
  if (res.status !== 200) throw new Error(`setting ${preset}: ${res.status}`);
  const select = camera.getByRole('combobox', { name: 'Quality' });
  for (const deadline = Date.now() + 20_000; (await select.inputValue()) !== preset; ) {
    if (Date.now() > deadline) throw new Error(`the camera did not follow ${preset}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

/**
 * The camera page's load while live: a real server, a paired camera page
 * (the PWA; Chromium's fake camera, which captures up to 1080p) recording,
 * and 1 or 4 viewers, each in its own browser context of a second browser,
 * watching it. For each quality preset (set through the API, as a viewer
 * does), the camera browser's CPU over 8 000 ms (CDP
 * `SystemInfo.getProcessInfo`: its renderer, i.e. the page with its
 * encoders and recorder, and all its processes) and the page's JS heap and
 * DOM nodes (CDP `Performance.getMetrics`) and what the encoder sends the
 * first viewer (height and frame rate, outbound-rtp), unthrottled and with
 * the camera page's CPU throttled 4× (`Emulation.setCPUThrottlingRate`).
 */
export const cameraLoadSection: Section = {
  name: 'camera-load',
  description: 'camera page CPU and memory live to 1 and 4 viewers, recording, per quality preset, unthrottled and CPU 4× throttled',
  async run({ log }: BenchOptions): Promise<SectionResult> {
    const server = await TestServer.start();
    let cameraBrowser: Browser | undefined;
    let viewerBrowser: Browser | undefined;
    const viewers: BrowserContext[] = [];
    try {
      [cameraBrowser, viewerBrowser] = await Promise.all([launchChromium(), launchChromium()]);
      const user = await server.register();
      const cameraContext = await cameraBrowser.newContext();
      await cameraContext.addInitScript(defineNameHelper);
      await cameraContext.addInitScript(tapPeerConnections);
      const camera = await cameraContext.newPage();
      const { deviceId } = await pairCameraPage(server, user.accessToken, camera, CAMERA_NAME);
      await camera.getByRole('switch', { name: 'Record' }).check();
      await camera.getByRole('status').filter({ hasText: /^Recording$/ }).waitFor({ timeout: 20_000 });
      const browserCdp = await cameraBrowser.newBrowserCDPSession();
      const pageCdp = await camera.context().newCDPSession(camera);
      await pageCdp.send('Performance.enable');
      const figures: Figure[] = [];
      for (const count of VIEWER_COUNTS) {
        while (viewers.length < count) viewers.push(await openViewer(viewerBrowser, server, user.user.email));
        for (const preset of PRESETS) {
          await setPreset(server, user.accessToken, deviceId, camera, preset);
          for (const rate of THROTTLE_RATES) {
            await pageCdp.send('Emulation.setCPUThrottlingRate', { rate });
            const cpu = await cpuShare(browserCdp, WINDOW_MS);
            const memory = await pageMemory(pageCdp);
            const sent = await sentVideo(camera);
            const conditions = `${preset}, ${count} ${count === 1 ? 'viewer' : 'viewers'}, recording, CPU ${rate === 1 ? 'unthrottled' : `${rate}× throttled`}`;
            log(`camera-load ${conditions}: renderer ${cpu.renderer.toFixed(1)} %`);
            figures.push(
              figure(`camera page (renderer) CPU, ${conditions}`, cpu.renderer, '% of a core'),
              figure(`camera browser CPU (all processes), ${conditions}`, cpu.total, '% of a core'),
              figure(`camera page JS heap, ${conditions}`, memory.heapBytes / 1_048_576, 'MiB'),
              figure(`camera page DOM nodes, ${conditions}`, memory.nodes, 'count'),
              figure(`video sent to the first viewer, height, ${conditions}`, sent.frameHeight, 'px'),
              figure(`video sent to the first viewer, frame rate, ${conditions}`, sent.framesPerSecond, 'frames/s'),
            );
          }
          await pageCdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
        }
      }
      return {
        figures,
        notes: [
          `CPU over ${WINDOW_MS / 1000} s windows, ${SETTLE_MS / 1000} s after each preset change; 100 % is one core. The throttle slows the camera page's main thread only (Chromium applies it to no worker, nor to the browser's capture and encoder threads outside the page).`,
          'The camera browser runs the camera page alone; the viewers run in another browser on the same machine, so their decoding competes for the same two cores.',
          'The "sent" rows show what the encoder made of the preset: libwebrtc lowers the resolution or frame rate itself when the CPU runs short (its CPU-overuse adaptation), which the throttled rows show.',
        ],
      };
    } finally {
      for (const context of viewers) await context.close();
      await viewerBrowser?.close();
      await cameraBrowser?.close();
      await server.stop();
    }
  },
};
