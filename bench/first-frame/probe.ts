/** The probe's handle in a page: `window.firstFrameProbe`. */
export interface FirstFrameProbe {
  /**
   * Marks the start of a measurement (now) and resolves with the ms from it
   * to the first frame of the next video element given a `srcObject`, as
   * reported by `HTMLVideoElement.requestVideoFrameCallback` (WICG
   * video-rvfc: called when a new frame is sent to the compositor).
   */
  start(): Promise<number>;
}

declare global {
  interface Window {
    firstFrameProbe: FirstFrameProbe;
  }
}

/**
 * The time-to-first-frame probe, installed into a page before its own
 * scripts with `page.addInitScript(installFirstFrameProbe)`. It wraps the
 * `srcObject` setter of media elements, so it sees any page's video (also
 * inside shadow roots) without knowing the page. Runs in the browser: it
 * must not use anything from its module scope.
 *
 * A subject marks the start of a call with `firstFrameProbe.start()`: the
 * bare PeerJS page right before `peer.call`; the Peerwatch PWA from a
 * capture-phase click listener on its Watch button.
 */
export function installFirstFrameProbe(): void {
  const descriptor = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject')!;
  let startMs = 0;
  let report: ((ms: number) => void) | undefined;
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    ...descriptor,
    set(this: HTMLMediaElement, value: MediaProvider | null) {
      descriptor.set!.call(this, value);
      if (value && this instanceof HTMLVideoElement) {
        this.requestVideoFrameCallback(() => {
          report?.(performance.now() - startMs);
          report = undefined;
        });
      }
    },
  });
  window.firstFrameProbe = {
    start() {
      startMs = performance.now();
      return new Promise((resolve) => (report = resolve));
    },
  };
}
