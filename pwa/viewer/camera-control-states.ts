import type { CameraControlState, HouseholdEvent, OwnCameraControlsRequest } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import { Emitter } from '../shared/emitter.js';
import { log } from '../shared/logger.js';

/**
 * The controls and last health report of the household's cameras as the
 * viewer knows them (`GET /api/devices/:id/controls`, kept current by
 * `camera-controls` and `camera-report` events), and the way to change them
 * (`PUT /api/devices/:id/controls`; a pause `PUT /api/devices/:id/pause`).
 * Dispatches `change` when any changed.
 */
export class CameraControlStates extends Emitter<{ change: void }> {
  private readonly states = new Map<string, CameraControlState>();

  constructor(private readonly api: ApiClient) {
    super();
  }

  get(deviceId: string): CameraControlState | undefined {
    return this.states.get(deviceId);
  }

  /** Loads one camera's (when its tile opens, and after the event stream (re)subscribed: events may have been missed). */
  async load(deviceId: string): Promise<void> {
    try {
      this.put(await this.api.cameraControls(deviceId));
    } catch (error) {
      // What was known stays shown until the next load.
      log.warn('camera controls: a camera’s controls could not be loaded', deviceId, error);
    }
  }

  /** Loads these cameras' (the household's, after the event stream (re)subscribed), forgetting the others. */
  async reload(deviceIds: readonly string[]): Promise<void> {
    for (const id of this.states.keys()) if (!deviceIds.includes(id)) this.states.delete(id);
    await Promise.all(deviceIds.map((id) => this.load(id)));
  }

  /** Applies one household event (others are ignored). */
  apply(event: HouseholdEvent): void {
    if (event.type === 'camera-controls') {
      const { type: _type, ...controls } = event;
      const known = this.states.get(controls.deviceId);
      this.put({ controls, report: known?.report ?? null });
    } else if (event.type === 'camera-report') {
      const { type: _type, ...report } = event;
      const known = this.states.get(report.deviceId);
      if (known) this.put({ ...known, report });
      // A camera not loaded yet (e.g. paired since): its controls come with it.
      else void this.load(report.deviceId);
    } else if (event.type === 'device-removed' && this.states.delete(event.deviceId)) {
      this.emit('change');
    }
  }

  /**
   * Changes a camera's controls: a pause or resume (`paused`, owners only)
   * and the others each by their own route.
   * @throws ApiRequestError (403 `forbidden` for a pause by a role without the `pause` permission)
   */
  async set(deviceId: string, change: OwnCameraControlsRequest): Promise<void> {
    const { paused, ...others } = change;
    let controls = paused === undefined ? null : await this.api.setCameraPause(deviceId, paused);
    if (Object.keys(others).length > 0) controls = await this.api.setCameraControls(deviceId, others);
    if (controls) this.put({ controls, report: this.states.get(deviceId)?.report ?? null });
  }

  private put(state: CameraControlState): void {
    this.states.set(state.controls.deviceId, state);
    this.emit('change');
  }
}
