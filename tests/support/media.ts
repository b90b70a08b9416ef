import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Where the test footage may be: `PEERWATCH_FOOTAGE`, Debian's `opencv-doc`
 * package (the OpenCV sample `vtest.avi`), or a `shared/media` folder beside
 * the repository.
 */
const FOOTAGE_PLACES = [
  process.env.PEERWATCH_FOOTAGE,
  '/usr/share/doc/opencv-doc/examples/data/vtest.avi',
  path.resolve(import.meta.dirname, '../../../shared/media/vtest.avi'),
];

/** Real CCTV footage (768×576, 10 fps, 79.5 s): people walking across a campus. @throws Error naming how to get it */
export const FOOTAGE = (() => {
  const found = FOOTAGE_PLACES.find((place) => place && existsSync(place));
  if (!found) {
    throw new Error('Test footage vtest.avi not found: apt-get install -y opencv-doc, or set PEERWATCH_FOOTAGE to its path.');
  }
  return found;
})();

const workDir = mkdtempSync(path.join(tmpdir(), 'peerwatch-media-'));

/** Runs ffmpeg quietly (`-loglevel error`), overwriting outputs (`-y`), with `args`. @throws Error if it fails */
export function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...args], { stdio: 'inherit' });
}

/**
 * Converts `seconds` of the shared footage to a 640×480 y4m file for
 * Chromium's fake camera (made once per process, in a temp folder).
 */
export function footageY4m(seconds = 10, fps = 10): string {
  const out = path.join(workDir, `footage-${seconds}s-${fps}fps.y4m`);
  if (!existsSync(out)) {
    ffmpeg(['-i', FOOTAGE, '-t', String(seconds), '-vf', `scale=640:480,fps=${fps}`, '-pix_fmt', 'yuv420p', out]);
  }
  return out;
}

/**
 * Turns a still picture (e.g. a screenshot of a QR code) into a short 640×480
 * y4m clip: the picture scaled to fit, centred on white, as a camera would see it.
 */
export function stillToY4m(png: string, seconds = 2): string {
  const out = path.join(workDir, `${path.basename(png, '.png')}-${Date.now()}.y4m`);
  ffmpeg([
    '-loop', '1', '-i', png, '-t', String(seconds), '-r', '10',
    '-vf', 'scale=400:400:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2:white',
    '-pix_fmt', 'yuv420p', out,
  ]);
  return out;
}

/** A temp folder for a test's files. */
export function tempDir(prefix = 'peerwatch-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/**
 * One frame of the shared footage at `atS` seconds as an image file's bytes:
 * `jpg` (full size, as a snapshot) or `webp` (`height` px high, as a thumbnail).
 */
export function footageFrame(atS: number, format: 'jpg' | 'webp', height = 576): Buffer {
  const out = path.join(workDir, `frame-${atS}-${height}.${format}`);
  if (!existsSync(out)) ffmpeg(['-ss', String(atS), '-i', FOOTAGE, '-frames:v', '1', '-vf', `scale=-2:${height}`, out]);
  return readFileSync(out);
}

/**
 * A WAV file for Chromium's fake microphone (`--use-file-for-fake-audio-capture`, which loops it):
 * a sine tone of `hz` Hz, 48 kHz mono 16-bit PCM, `seconds` long (made once per process).
 */
export function toneWav(hz: number, seconds = 60): string {
  const out = path.join(workDir, `tone-${hz}hz-${seconds}s.wav`);
  if (!existsSync(out)) {
    ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=${hz}:sample_rate=48000:duration=${seconds}`, '-ac', '1', out]);
  }
  return out;
}
