import { expect, type Locator } from '@playwright/test';

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

/** What two looks 1 s apart at a picture (160×120, luma) found. */
interface PictureLooks {
  /** Standard deviation of the first look's luma, 0–255: a blank picture is near 0, a real scene well above 10. */
  contrast: number;
  /** Share of pixels that changed by more than 24 levels between the two looks, 0–1. */
  changedShare: number;
}

/** Looks twice, 1 s apart, at a video's current frame or a canvas. */
function lookTwice(picture: Locator): Promise<PictureLooks> {
  return picture.evaluate(async (el: HTMLVideoElement | HTMLCanvasElement) => {
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 120;
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    const luma = () => {
      context.drawImage(el, 0, 0, canvas.width, canvas.height);
      const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
      const out = new Float32Array(canvas.width * canvas.height);
      for (let i = 0; i < out.length; i++) out[i] = 0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!;
      return out;
    };
    const first = luma();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const second = luma();
    let changed = 0;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < first.length; i++) {
      if (Math.abs(first[i]! - second[i]!) > 24) changed++;
      sum += first[i]!;
      squares += first[i]! * first[i]!;
    }
    const mean = sum / first.length;
    return { contrast: Math.sqrt(squares / first.length - mean * mean), changedShare: changed / first.length };
  });
}

/** Asserts that a live video shows real, moving pictures. */
export async function expectMovingPictures(video: Locator): Promise<void> {
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.videoWidth)).toBeGreaterThan(0);
  const frames = await countFrames(video);
  await expect.poll(frames).toBeGreaterThan(3);
  const seen = await frames();
  await expect.poll(frames).toBeGreaterThan(seen + 3);
  expect((await lookTwice(video)).changedShare).toBeGreaterThan(0.002);
}

/** Asserts that a picture (e.g. a canvas holding a video's last frame) shows a real scene that stands still. */
export async function expectStillPicture(picture: Locator): Promise<void> {
  await expect(picture).toBeVisible();
  const looks = await lookTwice(picture);
  expect(looks.contrast).toBeGreaterThan(10);
  expect(looks.changedShare).toBe(0);
}
