/**
 * Why the camera could not be opened, from getUserMedia's error name (W3C
 * Media Capture and Streams §9.2 `getUserMedia` errors):
 * - `not-allowed`: `NotAllowedError`, permission refused
 * - `not-found`: `NotFoundError` or `OverconstrainedError`, no camera
 * - `busy`: `NotReadableError`, another app holds it
 * - `failed`: anything else
 */
export type CameraFailure = 'not-allowed' | 'not-found' | 'busy' | 'failed';

/** Classifies a getUserMedia error (pure). */
export function cameraFailureOf(error: unknown): CameraFailure {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
      return 'not-allowed';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'not-found';
    case 'NotReadableError':
      return 'busy';
    default:
      return 'failed';
  }
}

/** A message a person understands for a camera that could not be opened. */
export function cameraFailureText(failure: CameraFailure): string {
  switch (failure) {
    case 'not-allowed':
      return 'Peerwatch may not use the camera. Allow camera access for this site in the browser settings.';
    case 'not-found':
      return 'No camera was found on this device.';
    case 'busy':
      return 'The camera is busy in another app. Close that app and try again.';
    case 'failed':
      return 'The camera could not be started.';
  }
}
