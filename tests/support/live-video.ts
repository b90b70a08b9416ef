import { expect, type Locator } from '@playwright/test';
import { recentAppLog } from './browser.js';

/** Checks on a live `<video>` element in a page: frames decoded, pictures changing. */

/** Counts decoded frames of a video element from now on (requestVideoFrameCallback). */
async function countFrames(video: Locator): Promise<() => Promise<number>> {
  await video.evaluate((el: HTMLVideoElement & { framesSeen?: number }) => {
    el.framesSeen = 0;
    const onFrame = () => {
      el.framesSeen = (el.framesSeen ?? 0) + 1;
      el.requestVideoFrameCallback(onFrame);
    };
    el.requestVideoFrameCallback(onFrame);
  });
  return () => video.evaluate((el: HTMLVideoElement & { framesSeen?: number }) => el.framesSeen ?? 0);
}

/** What two looks 2 s apart at a picture (160×120) found. */
interface PictureLooks {
  /** Standard deviation of the first look's luma, 0–255: a blank picture is near 0, a real scene well above 10. */
  contrast: number;
  /**
   * Share of pixels of which a colour channel changed by more than 24 levels
   * between the two looks, 0–1. Colour, not only luma: Firefox's fake camera
   * shows one flat picture whose hue cycles at a constant luma, one chroma
   * level a frame (about 20 RGB levels a second at 15 fps when the machine is
   * busy). Any luma change of more than 24 levels is one in some channel too.
   */
  changedShare: number;
}

/** Looks twice, 2 s apart, at a video's current frame or a canvas. */
function lookTwice(picture: Locator): Promise<PictureLooks> {
  return picture.evaluate(async (el: HTMLVideoElement | HTMLCanvasElement) => {
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 120;
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    const pixels = () => {
      context.drawImage(el, 0, 0, canvas.width, canvas.height);
      return context.getImageData(0, 0, canvas.width, canvas.height).data;
    };
    const first = pixels();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const second = pixels();
    let changed = 0;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < first.length; i += 4) {
      const delta = Math.max(
        Math.abs(first[i]! - second[i]!),
        Math.abs(first[i + 1]! - second[i + 1]!),
        Math.abs(first[i + 2]! - second[i + 2]!),
      );
      if (delta > 24) changed++;
      const luma = 0.299 * first[i]! + 0.587 * first[i + 1]! + 0.114 * first[i + 2]!;
      sum += luma;
      squares += luma * luma;
    }
    const count = first.length / 4;
    const mean = sum / count;
    return { contrast: Math.sqrt(squares / count - mean * mean), changedShare: changed / count };
  });
}

/** Asserts that a live video shows real, moving pictures. */
export async function expectMovingPictures(video: Locator): Promise<void> {
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.videoWidth)).toBeGreaterThan(0);
  const frames = await countFrames(video);
  await expect.poll(frames).toBeGreaterThan(3);
  const seen = await frames();
  await expect.poll(frames).toBeGreaterThan(seen + 3);
  const { changedShare } = await lookTwice(video);
  const then = await describeVideo(video);
  expect(changedShare, `pictures changed too little; the video then: ${then}; the app's latest lines:\n${recentAppLog()}`).toBeGreaterThan(
    0.002,
  );
}

/** What a video element is playing, for a failure message: attached, paused, ready state, its tracks. */
function describeVideo(video: Locator): Promise<string> {
  return video.evaluate((el: HTMLVideoElement) => {
    const stream = el.srcObject instanceof MediaStream ? el.srcObject : null;
    const tracks = stream?.getTracks().map((track) => `${track.kind} ${track.readyState}${track.muted ? ' muted' : ''}`);
    return JSON.stringify({
      connected: el.isConnected,
      paused: el.paused,
      readyState: el.readyState,
      size: `${el.videoWidth}x${el.videoHeight}`,
      tracks: tracks ?? 'no stream',
    });
  });
}

/** Asserts that a picture (e.g. a canvas holding a video's last frame) shows a real scene that stands still. */
export async function expectStillPicture(picture: Locator): Promise<void> {
  await expect(picture).toBeVisible();
  const looks = await lookTwice(picture);
  expect(looks.contrast).toBeGreaterThan(10);
  expect(looks.changedShare).toBe(0);
}
