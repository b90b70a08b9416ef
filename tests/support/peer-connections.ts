/** The peer connections a page made, as recorded by `tapPeerConnections`. */
interface TappedWindow {
  tappedPeerConnections: RTCPeerConnection[];
}

/**
 * Init script (`addInitScript(tapPeerConnections)`) that records every
 * RTCPeerConnection a page makes in `window.tappedPeerConnections`, so a
 * test or the bench can read which path the media took and how many
 * connections are open. Installed in the test's own pages; the app is not
 * changed. Runs in the browser.
 */
export function tapPeerConnections(): void {
  const Native = window.RTCPeerConnection;
  const made: RTCPeerConnection[] = [];
  (window as unknown as TappedWindow).tappedPeerConnections = made;
  const Tapped = function (config?: RTCConfiguration) {
    const pc = new Native(config);
    made.push(pc);
    return pc;
  } as unknown as typeof RTCPeerConnection;
  Tapped.prototype = Native.prototype;
  Object.assign(Tapped, { generateCertificate: Native.generateCertificate.bind(Native) });
  window.RTCPeerConnection = Tapped;
}

/**
 * Runs in a page with `tapPeerConnections`: the local candidate type
 * (`host`, `srflx`, `relay`; W3C webrtc-stats) of the selected candidate pair
 * (`transport.selectedCandidatePairId`) of the last connection made, or `none`.
 */
export async function selectedCandidateType(): Promise<string> {
  const made = (window as unknown as TappedWindow).tappedPeerConnections;
  const pc = made[made.length - 1];
  if (!pc) return 'none';
  const stats = await pc.getStats();
  let type = 'none';
  stats.forEach((report: { type: string; selectedCandidatePairId?: string }) => {
    if (report.type !== 'transport' || !report.selectedCandidatePairId) return;
    const pair = stats.get(report.selectedCandidatePairId) as { localCandidateId: string } | undefined;
    const local = pair && (stats.get(pair.localCandidateId) as { candidateType?: string } | undefined);
    type = local?.candidateType ?? type;
  });
  return type;
}

/** Runs in a page with `tapPeerConnections`: how many of its peer connections are not closed (`connectionState`). */
export function openPeerConnectionCount(): number {
  return (window as unknown as TappedWindow).tappedPeerConnections.filter((pc) => pc.connectionState !== 'closed').length;
}

/** What `countPeerConnections` gives the test. */
interface CountedWindow {
  openPeerConnections: () => number;
}

/**
 * Init script: counts the page's open `RTCPeerConnection`s (made and not yet
 * `close()`d) without holding any, so the count itself leaks nothing (unlike
 * `tapPeerConnections`, which keeps each: for soak tests). Runs in the browser.
 */
export function countPeerConnections(): void {
  const Native = window.RTCPeerConnection;
  const open = new WeakSet<RTCPeerConnection>();
  let count = 0;
  const Counted = function (config?: RTCConfiguration) {
    const pc = new Native(config);
    open.add(pc);
    count++;
    return pc;
  } as unknown as typeof RTCPeerConnection;
  Counted.prototype = Native.prototype;
  Object.assign(Counted, { generateCertificate: Native.generateCertificate.bind(Native) });
  const close = Native.prototype.close;
  Native.prototype.close = function (this: RTCPeerConnection) {
    if (open.delete(this)) count--;
    return close.call(this);
  };
  window.RTCPeerConnection = Counted;
  (window as unknown as CountedWindow).openPeerConnections = () => count;
}

/** Runs in a page with `countPeerConnections`: how many peer connections it made and did not close. */
export function countedOpenPeerConnections(): number {
  return (window as unknown as CountedWindow).openPeerConnections();
}
