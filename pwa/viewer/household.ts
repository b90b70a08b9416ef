import type { ApiClient } from '../api/api-client.js';
import { PeerSession } from '../shared/peer-session.js';
import { CameraControlStates } from './camera-control-states.js';
import { DeviceDirectory } from './device-directory.js';
import { HouseholdAccount } from './household-account.js';
import { NotificationInbox } from './notification-inbox.js';
import { LastMotion } from './last-motion.js';
import { RecordingStates } from './recordings/recording-states.js';

/**
 * What a signed-in viewer page runs for its household: the camera directory
 * (event stream + `GET /api/devices`), the page's peer (`PeerSession` as the
 * user), the cameras' "Record" states, their controls and health
 * (`CameraControlStates`), the user's notifications, when each camera last
 * saw motion (`LastMotion`) and the user's role (`HouseholdAccount`), kept current from the directory's
 * events. Nothing runs before `start()`; `stop()` ends all of it and the
 * listeners `start()` added.
 */
export class ViewerHousehold {
  readonly directory: DeviceDirectory;
  readonly session: PeerSession;
  readonly recordingStates: RecordingStates;
  readonly inbox: NotificationInbox;
  readonly lastMotion: LastMotion;
  readonly controlStates: CameraControlStates;
  readonly account: HouseholdAccount;
  private readonly lifetime = new AbortController();
  private started = false;

  constructor(api: ApiClient) {
    this.directory = new DeviceDirectory(api);
    this.session = new PeerSession(api, 'user');
    this.recordingStates = new RecordingStates(api);
    this.inbox = new NotificationInbox(api);
    this.lastMotion = new LastMotion(api);
    this.controlStates = new CameraControlStates(api);
    this.account = new HouseholdAccount(api);
  }

  /** Starts following the household and registers the page's peer; once only, never after `stop()`. */
  start(): void {
    const { signal } = this.lifetime;
    if (this.started || signal.aborted) return;
    this.started = true;
    const { directory, recordingStates, inbox, lastMotion, controlStates, account } = this;
    directory.on(
      'reload',
      () => {
        void account.load();
        void recordingStates.load(directory.list.map((d) => d.id));
        void inbox.load();
        void lastMotion.load();
        void controlStates.reload(directory.list.map((d) => d.id));
      },
      signal,
    );
    directory.on(
      'household-event',
      (event) => {
        recordingStates.apply(event);
        inbox.apply(event);
        lastMotion.apply(event);
        controlStates.apply(event);
      },
      signal,
    );
    directory.start();
    this.session.start();
  }

  /** Ends the event stream and the page's peer (which closes its calls). */
  stop(): void {
    this.lifetime.abort();
    this.directory.stop();
    this.session.close();
  }
}
