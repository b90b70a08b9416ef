import { DEFAULT_QUALITY } from '../../protocol/camera-quality.js';
import type { CameraControls, OwnCameraControlsRequest } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import type { DeviceCredential } from '../shared/db.js';
import { Emitter } from '../shared/emitter.js';
import { log } from '../shared/logger.js';
import type { CameraEvents } from './camera-events.js';

/** The controls of a camera never set up. */
function defaultControls(deviceId: string): CameraControls {
  return { deviceId, quality: DEFAULT_QUALITY, videoSourceId: null, torch: false, zoom: null, paused: null };
}

/**
 * The camera's controls as the household set them (`GET /api/devices/me/controls`
 * at the start, then `camera-controls` events of its own stream), and the
 * controls on the camera itself (`change`, sent with `PUT /api/devices/me/controls`).
 *
 * A pause on the camera holds at once, before the server answers (and also
 * when it cannot be reached: privacy first); the server's answer and later
 * events then say what holds. Sends `change` whenever `controls` changed;
 * listens from `start()` until `stop()`.
 */
export class CameraControlSync extends Emitter<{ change: void }> {
  private readonly lifetime = new AbortController();

  private constructor(
    private readonly api: ApiClient,
    private readonly credential: DeviceCredential,
    private readonly events: CameraEvents,
    public controls: CameraControls,
  ) {
    super();
  }

  /** Reads the camera's controls from the server; where it cannot be reached, the defaults (logged). */
  static async load(api: ApiClient, credential: DeviceCredential, events: CameraEvents): Promise<CameraControlSync> {
    const controls = await api.ownControls(credential.deviceToken).catch((error: unknown) => {
      log.warn('camera: the controls could not be read; starting with the defaults until the server sends them', error);
      return defaultControls(credential.deviceId);
    });
    return new CameraControlSync(api, credential, events, controls);
  }

  /** Follows the server's `camera-controls` events. */
  start(): void {
    this.events.on(
      'device-event',
      (event) => {
        if (event.type !== 'camera-controls') return;
        const { type: _type, ...controls } = event;
        this.set(controls);
      },
      this.lifetime.signal,
    );
  }

  stop(): void {
    this.lifetime.abort();
  }

  /**
   * A control changed on the camera itself. A pause (`paused: true`) holds at
   * once, in `pausedBy`'s name. @throws ApiRequestError when the server refused or could not be reached
   */
  async change(request: OwnCameraControlsRequest, pausedBy: string): Promise<void> {
    if (request.paused === true && !this.controls.paused) this.set({ ...this.controls, paused: { by: pausedBy, atMs: Date.now() } });
    this.set(await this.api.setOwnControls(this.credential.deviceToken, request));
  }

  private set(controls: CameraControls): void {
    if (this.lifetime.signal.aborted) return;
    this.controls = controls;
    this.emit('change');
  }
}
