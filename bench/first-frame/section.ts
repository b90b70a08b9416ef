import { launchChromium } from '../../tests/support/browser.js';
import { figureMaker, type Figure, type SectionResult } from '../report.js';
import type { BenchOptions, Section } from '../section.js';
import { percentile } from '../stats.js';
import { BarePeerJsSubject } from './bare-peerjs.js';
import { PeerwatchSubject } from './peerwatch.js';
import { CALL_STEPS } from './probe.js';
import type { CallSample, FirstFrameSubject } from './subject.js';

/** Goal for the ratio of a subject's median to the baseline's: no slower than bare PeerJS. */
const MAX_RATIO = 1.0;
/** Pause between calls, ms, so one call's teardown does not overlap the next. */
const PAUSE_MS = 300;

/** The subjects measured; the first is the baseline the others are compared with. */
function subjects(): FirstFrameSubject[] {
  return [new BarePeerJsSubject(), new PeerwatchSubject()];
}

/** Runs one warm-up call (not counted), then `calls` measured calls. */
async function measure(subject: FirstFrameSubject, calls: number, log: (m: string) => void): Promise<CallSample[]> {
  const browser = await launchChromium();
  try {
    await subject.setUp(browser);
    await subject.measureCall();
    const samples: CallSample[] = [];
    for (let i = 0; i < calls; i++) {
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      samples.push(await subject.measureCall());
    }
    log(`first-frame: ${subject.name}: ${samples.map((s) => s.firstFrameMs.toFixed(0)).join(' ')} ms`);
    return samples;
  } finally {
    await subject.tearDown();
    await browser.close();
  }
}

/**
 * The steps the calls went through (viewer and camera), in the order of their medians (ties in
 * the order of `CALL_STEPS`), each with the median of its ms from the start of the call over the
 * calls that had it.
 */
function stepMedians(samples: readonly CallSample[]): { step: string; p50Ms: number }[] {
  const names = new Set(samples.flatMap((sample) => Object.keys(sample.steps)));
  const order = (step: string) => (CALL_STEPS as readonly string[]).indexOf(step.replace(/^camera: /, ''));
  return [...names]
    .map((step) => ({ step, p50Ms: percentile(samples.flatMap((s) => s.steps[step] ?? []), 50) }))
    .sort((a, b) => a.p50Ms - b.p50Ms || order(a.step) - order(b.step));
}

/**
 * Time to first frame: from the start of a call to the first
 * decoded frame in the viewer, in headless Chromium with a fake camera,
 * p50/p95 over --trials calls per subject, each subject's ratio to the
 * bare PeerJS baseline, and the breakdown: the median time from the start to
 * each step of the call in the viewer and the camera (`CALL_STEPS`, and the fetches made on the way).
 */
export const firstFrameSection: Section = {
  name: 'first-frame',
  description:
    'time from call to first decoded frame (Chromium, fake camera), p50/p95 over --trials calls, and the median time to each step of the call',
  async run(options: BenchOptions): Promise<SectionResult> {
    const figures: Figure[] = [];
    let baselineP50: number | undefined;
    for (const subject of subjects()) {
      options.log(`first-frame: ${subject.name}, ${options.trials} calls`);
      const samples = await measure(subject, options.trials, options.log);
      const times = samples.map((s) => s.firstFrameMs);
      const p50 = percentile(times, 50);
      const figure = figureMaker('first-frame', (name) => `${subject.name}: ${name}`);
      for (const { step, p50Ms } of stepMedians(samples)) figures.push(figure(`step p50: ${step}`, p50Ms, 'ms'));
      figures.push(
        figure(`time to first frame p50 of ${samples.length}`, p50, 'ms', subject.targetP50Ms),
        figure(`time to first frame p95 of ${samples.length}`, percentile(times, 95), 'ms'),
      );
      if (baselineP50 === undefined) baselineP50 = p50;
      else figures.push(figure('p50 ratio to the baseline', p50 / baselineP50, 'ratio', MAX_RATIO));
    }
    return {
      figures,
      notes: [
        'First frame: Chromium with its built-in fake camera (--use-fake-device-for-media-stream), camera and viewer pages ' +
          'in one browser, ICE on loopback without STUN; one warm-up call before the measured ones. ' +
          'Peerwatch PWA: from the click on "Watch <camera>" (capture-phase listener in the viewer page) to the first ' +
          'frame of its live video, real server process, camera paired through its pairing link, "Hang up" after each call. ' +
          'Steps: ms from the start of the call to each step in the viewer page (its RTCPeerConnection, fetches) and ' +
          'the camera page ("camera: "), median over the calls.',
      ],
    };
  },
};
