/** A message a person understands for a failed getUserMedia (W3C Media Capture error names). */
export function cameraProblem(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
      return 'Peerwatch may not use the camera. Allow camera access for this site in the browser settings.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found on this device.';
    case 'NotReadableError':
      return 'The camera is busy in another app. Close that app and try again.';
    default:
      return 'The camera could not be started.';
  }
}
