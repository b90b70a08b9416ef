import type { OwnCameraControlsRequest, Pause } from '../../protocol/index.js';
import type { CameraControlChange } from '../store/store.js';

/**
 * The store change a controls request asks for: the controls it names, with
 * `paused: true` becoming a pause by `pausedBy` now (`nowMs`, ms since epoch)
 * unless already paused (the first pause keeps its name and time), and
 * `paused: false` clearing it.
 */
export function controlsChange(
  request: OwnCameraControlsRequest,
  current: { paused: Pause | null },
  pausedBy: string,
  nowMs: number,
): CameraControlChange {
  const change: CameraControlChange = {};
  if (request.quality !== undefined) change.quality = request.quality;
  if (request.videoSourceId !== undefined) change.videoSourceId = request.videoSourceId;
  if (request.torch !== undefined) change.torch = request.torch;
  if (request.zoom !== undefined) change.zoom = request.zoom;
  if (request.paused === true) change.paused = current.paused ?? { by: pausedBy, atMs: nowMs };
  if (request.paused === false) change.paused = null;
  return change;
}
