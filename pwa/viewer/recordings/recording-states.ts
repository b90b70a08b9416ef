import type { HouseholdEvent, RecordingRemovedEvent, RecordingState } from '../../../protocol/index.js';
import type { ApiClient } from '../../api/api-client.js';
import { Emitter } from '../../shared/emitter.js';
import { log } from '../../shared/logger.js';

/**
 * The "Record" state of the household's cameras as the viewer knows it
 * (`GET /api/devices/:id/recording`, kept current by `recording-state`
 * events), and the way to change it (`PUT /api/devices/:id/recording`).
 * Passes `recording-removed` events on to the recordings views.
 *
 * Events: `change` (a state changed); `recording-removed` (a recording
 * was removed, e.g. past retention).
 */
export class RecordingStates extends Emitter<{ change: void; 'recording-removed': RecordingRemovedEvent }> {
  private readonly states = new Map<string, RecordingState>();
  /** The latest `load`, which `ensure` waits for (it may be loading the camera already). */
  private loading: Promise<void> = Promise.resolve();

  constructor(private readonly api: ApiClient) {
    super();
  }

  get(deviceId: string): RecordingState | undefined {
    return this.states.get(deviceId);
  }

  /** Loads the state of these cameras (after the event stream (re)subscribed, events may have been missed). */
  load(deviceIds: readonly string[]): Promise<void> {
    this.loading = this.loadAll(deviceIds);
    return this.loading;
  }

  /** Loads a camera's state unless it is known (once a `load` under way has ended). */
  async ensure(deviceId: string): Promise<void> {
    await this.loading;
    if (this.states.has(deviceId)) return;
    const state = await this.api.recordingState(deviceId).catch((error: unknown) => {
      // The switch shows no state until the next load (the stream's next (re)subscription).
      log.warn('recording states: a camera\'s Record state could not be loaded', deviceId, error);
      return undefined;
    });
    if (state) this.put(state);
  }

  /** Applies one household event (others are ignored). */
  apply(event: HouseholdEvent): void {
    if (event.type === 'recording-state') {
      const { type: _type, ...state } = event;
      this.put(state);
    } else if (event.type === 'recording-removed') {
      this.emit('recording-removed', event);
    } else if (event.type === 'device-removed' && this.states.delete(event.deviceId)) {
      this.changed();
    }
  }

  /**
   * The "Record" switch: the household's wish for one camera. The answer may
   * arrive after a newer `recording-state` event (the camera reported at once):
   * then only its `enabled` is taken. @throws ApiRequestError
   */
  async setEnabled(deviceId: string, enabled: boolean): Promise<void> {
    const answer = await this.api.setRecordingEnabled(deviceId, enabled);
    const known = this.states.get(deviceId);
    const newer = known && (known.reportedAtMs ?? 0) > (answer.reportedAtMs ?? 0);
    this.put(newer ? { ...known, enabled: answer.enabled } : answer);
  }

  private async loadAll(deviceIds: readonly string[]): Promise<void> {
    const loaded = await Promise.all(
      deviceIds.map((id) =>
        this.api.recordingState(id).catch((error: unknown) => {
          // The state known before stays shown until the next load.
          log.warn('recording states: a camera\'s Record state could not be loaded', id, error);
          return this.states.get(id);
        }),
      ),
    );
    this.states.clear();
    for (const state of loaded) if (state) this.states.set(state.deviceId, state);
    this.changed();
  }

  private put(state: RecordingState): void {
    this.states.set(state.deviceId, state);
    this.changed();
  }

  private changed(): void {
    this.emit('change');
  }
}
