import { randomBytes } from 'node:crypto';
import type { Browser } from '@playwright/test';
import { Coturn } from '../../tests/support/coturn.js';
import { launchChromium } from '../../tests/support/browser.js';
import { figureMaker, type Figure, type SectionResult } from '../report.js';
import type { BenchOptions, Section } from '../section.js';
import { percentile } from '../stats.js';
import { defineNameHelper } from '../support/browser-functions.js';
import { PwaHousehold } from '../support/pwa-household.js';
import { selectedCandidateType, tapPeerConnections } from '../../tests/support/peer-connections.js';
import { readTimeCodes, type TimeCodeReading } from './time-code-reader.js';
import { installTimeCodeSource, type TimeCodeSourceSettings } from './time-code-source.js';

/** Goal for the median glass-to-glass latency, ms. */
const TARGET_P50_MS = 100;
/** Frames read per case. */
const FRAMES = 300;
/** Frames read and dropped first, so the call's start (first keyframe, bitrate ramp) is not counted. */
const WARM_UP_FRAMES = 30;
const FPS = 30;
const SIZES = [
  { width: 640, height: 480 },
  { width: 1280, height: 720 },
];
const figure = figureMaker('glass-to-glass');

/** One case: a household whose camera paints the time code at one size, over one ICE path. */
async function measureCase(
  browser: Browser,
  source: TimeCodeSourceSettings,
  turn: { urls: string[]; secret: string } | undefined,
): Promise<TimeCodeReading & { candidateType: string }> {
  const household = await PwaHousehold.start(browser, {
    serverEnv: turn ? { TURN_URLS: turn.urls.join(','), TURN_SECRET: turn.secret, ICE_TRANSPORT_POLICY: 'relay' } : {},
    initScripts: [{ script: defineNameHelper }, { script: tapPeerConnections }],
    cameraInitScripts: [{ script: installTimeCodeSource, arg: source }],
  });
  try {
    await household.watch();
    const video = household.viewer.getByLabel(`Live: ${household.cameraName}`);
    await video.evaluate(readTimeCodes, WARM_UP_FRAMES);
    const reading = await video.evaluate(readTimeCodes, FRAMES);
    return { ...reading, candidateType: await household.viewer.evaluate(selectedCandidateType) };
  } finally {
    await household.stop();
  }
}

/**
 * Glass-to-glass latency: the camera page (real PWA, paired)
 * gets a benchmark camera source painting its capture time into each frame;
 * the viewer page (real PWA, "Watch") reads it back from each decoded frame.
 * p50/p95 of arrival − painted time over 300 frames, at 640×480 and
 * 1280×720, directly on loopback and relay-only through a local coturn.
 */
export const glassToGlassSection: Section = {
  name: 'glass-to-glass',
  description: `latency from painting a frame in the camera page to decoding it in the viewer, p50/p95 over ${FRAMES} frames`,
  async run(options: BenchOptions): Promise<SectionResult> {
    const figures: Figure[] = [];
    const notes: string[] = [];
    const secret = randomBytes(16).toString('hex');
    const coturn = await Coturn.start({ secret });
    const browser = await launchChromium();
    try {
      for (const path of ['direct', 'TURN relay'] as const) {
        for (const size of SIZES) {
          const label = `${size.width}x${size.height}, ${path}`;
          options.log(`glass-to-glass: ${label}`);
          const turn = path === 'TURN relay' ? { urls: coturn.urls, secret } : undefined;
          const reading = await measureCase(browser, { ...size, fps: FPS }, turn);
          const { latenciesMs: samples } = reading;
          figures.push(
            figure(`latency p50 of ${samples.length}, ${label}`, percentile(samples, 50), 'ms', TARGET_P50_MS),
            figure(`latency p95 of ${samples.length}, ${label}`, percentile(samples, 95), 'ms'),
          );
          notes.push(
            `${label}: decoded at ${reading.decodedSize}, viewer's selected candidate ${reading.candidateType}, ` +
              `${reading.unreadable} frame(s) with an unreadable time code`,
          );
        }
      }
    } finally {
      await browser.close();
      await coturn.stop();
    }
    notes.unshift(
      `Glass to glass: a canvas camera source (${FPS} fps) injected by the bench into the camera page paints its time; ` +
        'the viewer reads it from each decoded frame (requestVideoFrameCallback); both pages in one headless Chromium ' +
        `on this machine, so one clock; ${WARM_UP_FRAMES} frames dropped first. TURN relay: Peerwatch server with ` +
        'TURN_URLS/TURN_SECRET and ICE_TRANSPORT_POLICY=relay, and a local coturn.',
    );
    return { figures, notes };
  },
};
