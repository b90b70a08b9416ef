import { readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { build, type Rollup } from 'vite';
import appConfig from '../../vite.config.js';
import type { Page, Worker } from '@playwright/test';
import { INITIAL_LIFECYCLE, stepLifecycle } from '../../pwa/camera/motion/event-lifecycle.js';
import { MotionDetector } from '../../pwa/camera/motion/motion-detector.js';
import { DEFAULT_MOTION_SETTINGS } from '../../pwa/camera/motion/motion-settings.js';
import { FRAME_MEASURE } from '../../pwa/camera/motion/worker-messages.js';
import { launchChromium } from '../../tests/support/browser.js';
import { pairCameraPage } from '../../tests/support/camera-page.js';
import {
  footageFile,
  grayFrames,
  stillMotionStill,
  stillWithNoise,
  streamGrayFrames,
} from '../../tests/support/motion-footage.js';
import { TestServer } from '../../tests/support/server.js';
import { figureMaker, type Figure, type SectionResult } from '../report.js';
import type { BenchOptions, Section } from '../section.js';
import { percentile } from '../stats.js';

/** Goal for the detector's cost per analysed frame, unthrottled, ms. */
const TARGET_FRAME_MS = 2;
/** CPU slow-down standing in for an old phone (CDP `Emulation.setCPUThrottlingRate`). */
const THROTTLE_RATE = 4;
/** How long each cost is sampled, s (5 analysed frames a second). */
const SAMPLE_S = 15;
/** Still footage with sensor noise run through the detector for false events, s. */
const STILL_S = 3600;
const SIZES = [
  { width: 640, height: 480 },
  { width: 1280, height: 720 },
];
const figure = figureMaker('motion');

/** Person model inferences timed, each way. */
const PERSON_INFERENCES = 20;

/**
 * Times `PERSON_INFERENCES` inferences of the person model on the camera
 * page's main thread (where CPU throttling applies): the motion worker's
 * model chunk from the build, imported by its URL, loaded (with its warm-up
 * inference) and run on a 192×192 square of noise (the model's cost does not
 * depend on what the picture shows), ms.
 */
async function personInferenceCosts(page: Page): Promise<number[]> {
  const assets = path.join(import.meta.dirname, '../../dist/assets');
  const chunk = readdirSync(assets).find((file) => /^person-model-.*\.js$/.test(file));
  if (!chunk) throw new Error('no person-model chunk in dist/assets (npm run build)');
  return page.evaluate(
    async ({ url, count }) => {
      type Model = { personScore(pixels: ImageData): Promise<number> };
      const { loadPersonModel } = (await import(url)) as { loadPersonModel: () => Promise<Model> };
      const model = await loadPersonModel();
      const pixels = new ImageData(192, 192);
      for (let i = 0; i < pixels.data.length; i++) pixels.data[i] = (i * 7919) % 256;
      const costs: number[] = [];
      for (let i = 0; i < count; i++) {
        const startMs = performance.now();
        await model.personScore(pixels);
        costs.push(performance.now() - startMs);
      }
      return costs;
    },
    { url: `/assets/${chunk}`, count: PERSON_INFERENCES },
  );
}

/** The motion worker's per-frame measures (User Timing `FRAME_MEASURE`) over the next `seconds`, ms. */
async function workerCosts(worker: Worker, seconds: number): Promise<number[]> {
  await worker.evaluate((name) => performance.clearMeasures(name), FRAME_MEASURE);
  const seen = new Map<number, number>();
  // Read every few seconds: the worker clears its measures every 300 frames.
  for (let s = 0; s < seconds; s += 5) {
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const entries = await worker.evaluate(
      (name) => performance.getEntriesByName(name).map((e) => [e.startTime, e.duration] as const),
      FRAME_MEASURE,
    );
    for (const [startTime, duration] of entries) seen.set(startTime, duration);
  }
  return [...seen.values()];
}

/** The bench's main-thread analysis (main-thread-analysis.ts) as one script (with the app's import aliases). */
async function mainThreadScript(): Promise<string> {
  const result = (await build({
    configFile: false,
    resolve: { alias: appConfig.resolve?.alias },
    logLevel: 'warn',
    build: {
      write: false,
      minify: false,
      lib: { entry: path.join(import.meta.dirname, 'main-thread-analysis.ts'), formats: ['iife'], name: 'peerwatchBenchMotion' },
    },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const [output] = Array.isArray(result) ? result : [result];
  return output!.output[0].code;
}

function mainThreadCosts(page: Page, seconds: number): Promise<number[]> {
  return page.evaluate(
    (seconds) =>
      (window as unknown as { peerwatchAnalyseOnMainThread: (s: number) => Promise<number[]> }).peerwatchAnalyseOnMainThread(seconds),
    seconds,
  );
}

/** Costs in a real camera page whose fake camera plays people walking at `width × height` (and the person model's, with `withPersonModel`). */
async function measureSize(width: number, height: number, script: string, log: (m: string) => void, withPersonModel: boolean): Promise<Figure[]> {
  const server = await TestServer.start();
  const browser = await launchChromium({ fakeVideo: footageFile(stillMotionStill(2, 12, 2), width, height, 'mjpeg') });
  try {
    const user = await server.register();
    // The page's CSP allows no inline script; the bench adds its own (main-thread-analysis.ts).
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await pairCameraPage(server, user.accessToken, page, 'Bench camera');
    const worker = await waitForMotionWorker(page);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await page.addScriptTag({ content: script });
    const size = `${width}×${height}`;
    const figures: Figure[] = [];
    const add = (what: string, costs: number[], targetMax?: number) => {
      log(`motion ${size} ${what}: ${costs.length} frames`);
      figures.push(figure(`detector per frame p50, ${what}, ${size}`, percentile(costs, 50), 'ms', targetMax));
      figures.push(figure(`detector per frame p95, ${what}, ${size}`, percentile(costs, 95), 'ms'));
    };
    add('worker', await workerCosts(worker, SAMPLE_S), TARGET_FRAME_MS);
    add('main thread', await mainThreadCosts(page, SAMPLE_S));
    const person = (what: string, costs: number[]) => {
      figures.push(figure(`person model per inference p50, ${what}`, percentile(costs, 50), 'ms'));
      figures.push(figure(`person model per inference max, ${what}`, Math.max(...costs), 'ms'));
    };
    if (withPersonModel) person('main thread', await personInferenceCosts(page));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE_RATE });
    add(`worker, page CPU ${THROTTLE_RATE}× throttled`, await workerCosts(worker, SAMPLE_S));
    add(`main thread, CPU ${THROTTLE_RATE}× throttled`, await mainThreadCosts(page, SAMPLE_S));
    if (withPersonModel) person(`main thread, CPU ${THROTTLE_RATE}× throttled`, await personInferenceCosts(page));
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    return figures;
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function waitForMotionWorker(page: Page): Promise<Worker> {
  for (let i = 0; i < 100; i++) {
    const worker = page.workers().find((w) => w.url().includes('motion-worker'));
    if (worker) return worker;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the camera page started no motion worker');
}

/** Passes over the footage for the detector's CPU time in Node, after one to warm up the JIT. */
const CPU_PASSES = 5;

/**
 * CPU time (not wall time, so other processes on the machine do not count)
 * of the detector and lifecycle alone per frame, in Node, on the footage
 * decoded to gray at `width × height`, ms.
 */
function detectorCpuMs(width: number, height: number): number {
  const frames = grayFrames(stillMotionStill(2, 12, 2), 5, width, height);
  const pass = () => {
    const detector = new MotionDetector(DEFAULT_MOTION_SETTINGS);
    let state = INITIAL_LIFECYCLE;
    for (const { frame, atMs } of frames) state = stepLifecycle(state, detector.detect(frame), atMs).state;
  };
  pass();
  const before = process.cpuUsage();
  for (let i = 0; i < CPU_PASSES; i++) pass();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / (frames.length * CPU_PASSES);
}

/** Events and motion frames the detector and lifecycle find in `STILL_S` of still footage with noise (nothing moves). */
async function falseEvents(): Promise<{ events: number; motionFrames: number; frames: number }> {
  const detector = new MotionDetector(DEFAULT_MOTION_SETTINGS);
  let state = INITIAL_LIFECYCLE;
  let events = 0;
  let motionFrames = 0;
  const frames = await streamGrayFrames(stillWithNoise(STILL_S), ({ frame, atMs }) => {
    const reading = detector.detect(frame);
    if (reading.kind === 'motion') motionFrames++;
    const step = stepLifecycle(state, reading, atMs);
    state = step.state;
    events += step.changes.filter((change) => change.type === 'started').length;
  });
  return { events, motionFrames, frames };
}

/**
 * Motion detection: the cost of each analysed frame in a real camera page
 * (its motion worker's User Timing measures; the same work on the page's
 * main thread, unthrottled and with the CPU throttled 4× as an old phone,
 * since Chromium throttles pages but not workers), at 640×480 and 1280×720
 * capture of real footage with people walking; and false events over an hour
 * of still footage with sensor noise (the real detector and lifecycle in
 * Node, frames decoded by ffmpeg at 320×240, 5 fps).
 */
export const motionSection: Section = {
  name: 'motion',
  description: `motion detector cost per analysed frame in the camera page (unthrottled and CPU ${THROTTLE_RATE}×), person model per inference, false events per hour of still footage`,
  async run(options: BenchOptions): Promise<SectionResult> {
    const script = await mainThreadScript();
    const figures: Figure[] = [];
    const loadBefore = loadavg()[0]!;
    for (const [i, { width, height }] of SIZES.entries()) {
      figures.push(...(await measureSize(width, height, script, options.log, i === 0)));
    }
    const loadAfter = loadavg()[0]!;
    for (const { width, height } of SIZES) {
      figures.push(figure(`detector alone, CPU time per frame (Node), ${width}×${height} gray`, detectorCpuMs(width, height), 'ms'));
    }
    options.log(`motion: ${STILL_S} s of still footage through the detector`);
    const still = await falseEvents();
    const hours = still.frames / 5 / 3600;
    figures.push(figure('false events per hour of still footage with sensor noise', still.events / hours, 'count/h', 0));
    figures.push(figure('motion frames in that hour', still.motionFrames, 'count'));
    return {
      figures,
      notes: [
        `costs over ${SAMPLE_S} s each (about ${SAMPLE_S * 5} analysed frames), wall time from the frame's turn to its result: the luma plane copied out of the VideoFrame, detector, event lifecycle, peak copy; the machine's 1-minute load average was ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after (on ${availableParallelism()} cores), which stretches wall times, most of all the p95`,
        `person model: MoveNet Lightning on TensorFlow.js WebAssembly (the motion worker's chunk, run on the camera page's main thread so that throttling applies), ${PERSON_INFERENCES} inferences on one 192×192 square each way after its warm-up one; the camera runs at most 2 a second, only while there is motion`,
        'Chromium refuses Emulation.setCPUThrottlingRate on worker targets and a throttled page does not slow its workers (the worker rows), so the main-thread rows run the same code where throttling applies',
        `false events: ${still.frames} frames (${(still.frames / 5).toFixed(0)} s at 5 fps) of one still frame of vtest.avi with temporal Gaussian noise, Medium sensitivity`,
      ],
    };
  },
};
