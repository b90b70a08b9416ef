/**
 * Why a call's peer connection found no network path (ICE failed):
 * - `relay-refused`: the TURN server answered with an authentication or
 *   permission error (RFC 8656 §18: 401 Unauthorized, 403 Forbidden,
 *   441 Wrong Credentials), e.g. credentials signed with another secret
 * - `relay-unreachable`: the TURN server did not answer (W3C WebRTC
 *   `RTCPeerConnectionIceErrorEvent.errorCode` 701)
 * - `unknown`: no relay error was seen
 */
export type NoPathCause = 'relay-refused' | 'relay-unreachable' | 'unknown';

/** The fields of an `icecandidateerror` event (W3C WebRTC `RTCPeerConnectionIceErrorEvent`) used here. */
export interface IceCandidateErrorInfo {
  /** The STUN or TURN server's URL. */
  url: string;
  /** A STUN/TURN error code (RFC 8489 §14.8), or 701 when the server could not be reached. */
  errorCode: number;
}

const REFUSED_CODES = new Set([401, 403, 441]);

/** Classifies the ICE candidate errors of a connection that found no path (pure). */
export function noPathCause(errors: readonly IceCandidateErrorInfo[]): NoPathCause {
  const relayErrors = errors.filter((error) => /^turns?:/.test(error.url));
  if (relayErrors.some((error) => REFUSED_CODES.has(error.errorCode))) return 'relay-refused';
  if (relayErrors.some((error) => error.errorCode === 701)) return 'relay-unreachable';
  return 'unknown';
}

/** Collects the `icecandidateerror` events of `pc`; the returned function classifies those seen so far. */
export function watchIceErrors(pc: RTCPeerConnection): () => NoPathCause {
  const errors: IceCandidateErrorInfo[] = [];
  pc.addEventListener('icecandidateerror', (event) => {
    const { url, errorCode } = event as RTCPeerConnectionIceErrorEvent;
    errors.push({ url, errorCode });
  });
  return () => noPathCause(errors);
}

/** What the viewer tells a person when a call to `cameraName` found no network path. */
export function noPathMessage(cameraName: string, cause: NoPathCause): string {
  switch (cause) {
    case 'relay-refused':
      return `Could not connect to ${cameraName}: no network path (the relay server refused the connection).`;
    case 'relay-unreachable':
      return `Could not connect to ${cameraName}: no network path (the relay server could not be reached).`;
    case 'unknown':
      return `Could not connect to ${cameraName}: no network path between this device and the camera.`;
  }
}
