import type { Device } from '../../../protocol/index.js';
import type { PeerSession } from '../../shared/peer-session.js';
import { LiveCall } from '../live-call.js';
import { frameCanvas } from '../snapshot.js';

/** How long a snapshot may take (call, first frame), ms. */
const SNAPSHOT_TIMEOUT_MS = 20_000;

/**
 * A current picture of a camera as a JPEG data URL: calls it (`LiveCall`),
 * takes its first decoded frame (`requestVideoFrameCallback`, WICG
 * video-rvfc, in every engine Peerwatch runs in) and hangs up.
 * @throws Error when the camera is offline or no frame came within `SNAPSHOT_TIMEOUT_MS`
 */
export async function cameraSnapshot(session: PeerSession, device: Device): Promise<string> {
  if (!device.online) throw new Error(`${device.name} is offline.`);
  const call = new LiveCall(session, device.peerId, true);
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const frame = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${device.name} sent no picture.`)), SNAPSHOT_TIMEOUT_MS);
      call.on('change', () => {
        if (call.state === 'unreachable' || call.state === 'offline') reject(new Error(`${device.name} cannot be reached.`));
        if (!call.stream || video.srcObject) return;
        video.srcObject = call.stream;
        video.requestVideoFrameCallback(() => resolve());
        void video.play();
      });
    });
    call.start();
    await frame;
    return frameCanvas(video).toDataURL('image/jpeg', 0.85);
  } finally {
    clearTimeout(timer);
    call.stop();
    video.srcObject = null;
  }
}
