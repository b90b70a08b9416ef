import type { Locator } from '@playwright/test';

/** What a tone meter heard so far (clock: the page's `Date.now()`, ms; the same machine clock as the test's). */
export interface ToneReading {
  /** Samples taken (one every 20 ms). */
  samples: number;
  /** Samples in which the tone stood out (above -60 dBFS in its FFT bin; for `any`, any bin above -70 dBFS). */
  toneSamples: number;
  /** When the tone was last heard, or null. */
  lastToneAtMs: number | null;
}

/** A tone meter running in a page; `read()` returns what it heard since it started. */
export interface ToneMeter {
  read(): Promise<ToneReading>;
}

/**
 * Starts listening for a `hz` Hz tone (or, with `any`, for any sound) in the
 * audio of `media`: a media element's captured stream (`captureStream()`,
 * what it plays) or, with `source: 'srcObject'`, the MediaStream it was given
 * (what arrives). An AnalyserNode (Web Audio, FFT of 2 048 samples) is read
 * every 20 ms; the tone counts when its bin (or a neighbour) is above
 * -60 dBFS, any sound when some bin is above -70 dBFS.
 */
export async function startToneMeter(
  media: Locator,
  hz: number | 'any',
  source: 'captureStream' | 'srcObject' = 'captureStream',
): Promise<ToneMeter> {
  const id = await media.evaluate(
    async (el: HTMLMediaElement & { captureStream(): MediaStream }, { hz, source }) => {
      const stream = source === 'captureStream' ? el.captureStream() : (el.srcObject as MediaStream);
      const context = new AudioContext();
      await context.resume();
      const analyser = context.createAnalyser();
      analyser.fftSize = 2048;
      analyser.smoothingTimeConstant = 0;
      context.createMediaStreamSource(stream).connect(analyser);
      const bins = new Float32Array(analyser.frequencyBinCount);
      const bin = hz === 'any' ? 0 : Math.round((hz * analyser.fftSize) / context.sampleRate);
      const heard = () =>
        hz === 'any' ? Math.max(...bins) > -70 : Math.max(bins[bin - 1]!, bins[bin]!, bins[bin + 1]!) > -60;
      const reading = { samples: 0, toneSamples: 0, lastToneAtMs: null as number | null };
      setInterval(() => {
        analyser.getFloatFrequencyData(bins);
        reading.samples++;
        if (heard()) {
          reading.toneSamples++;
          reading.lastToneAtMs = Date.now();
        }
      }, 20);
      const meters = ((window as unknown as { toneMeters?: unknown[] }).toneMeters ??= []);
      meters.push(reading);
      return meters.length - 1;
    },
    { hz, source },
  );
  return {
    read: () =>
      media.evaluate(
        (_el, id) => ({ ...((window as unknown as { toneMeters: ToneReading[] }).toneMeters[id]!) }),
        id,
      ),
  };
}
