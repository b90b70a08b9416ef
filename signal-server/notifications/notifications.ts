import { readFileSync } from 'node:fs';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { Logger } from 'pino';
import type { JwtIssuer } from '../auth/jwt.js';
import type { EventHub } from '../events/event-hub.js';
import type { CameraReportListener } from '../camera-controls/routes.js';
import type { ContractRouter } from '../http/contract-router.js';
import type { MotionEventActivityListener } from '../motion-events/activity.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import type { RecordingReportListener } from '../recordings/control-routes.js';
import { PlaybackTokens, type SessionCheck } from '../recordings/playback-tokens.js';
import type { Store } from '../store/store.js';
import { notifyBatteryAlarms } from './battery-watch.js';
import { EventAlerts } from './event-alerts.js';
import { Notifier } from './notifier.js';
import { OfflineWatch } from './offline-watch.js';
import type { NotificationsConfig } from './push-config.js';
import { endpointProblem, publicOnlyLookup } from './push-endpoint-guard.js';
import { PushSender, type PushOutcome } from './push-sender.js';
import { notifyRecordingProblems } from './recording-problems.js';
import { notificationRoutes } from './routes.js';

/** The notifications feature, ready to mount. */
export interface Notifications {
  /** Implements `/api/push/...` and `/api/notifications/...`. */
  mount(api: ContractRouter): void;
  /** Give to the recordings: notifies when a camera asked to record stops for a reason. */
  onRecordingReport: RecordingReportListener;
  /** Give to the camera events: notifies as events start, with their thumbnails. */
  onMotionEventActivity: MotionEventActivityListener;
  /** Give to the camera controls: notifies once per episode when a camera's battery needs a charger. */
  onCameraReport: CameraReportListener;
  /** Stops the offline timers and push retries, and waits for pushes in flight. */
  close(): Promise<void>;
}

/**
 * The agent for push service connections: Node's default trust, plus the
 * certificate authorities of `extraCaFile` (PEM) when one is configured, and
 * a lookup that refuses names resolving to non-public addresses (other than
 * `allowedHosts`).
 * @throws Error (from node:fs) when the file cannot be read.
 */
function pushAgent(extraCaFile: string | null, allowedHosts: ReadonlySet<string>): https.Agent {
  const ca = extraCaFile ? { ca: [...rootCertificates, readFileSync(extraCaFile, 'utf8')] } : {};
  return new https.Agent({ keepAlive: true, lookup: publicOnlyLookup(allowedHosts), ...ca });
}

/**
 * Composes notifications: Web Push sending (VAPID keys of `config`), the
 * notifier that keeps, streams and pushes them, and the triggers — camera
 * events as they start (fed by the camera events, folded per camera by the
 * cooldown), a camera offline past the grace period (fed by `presence`), and
 * a camera that cannot record (fed by recording reports), a camera whose
 * battery needs a charger (fed by camera health reports). Event thumbnails go
 * into pushes as links with an `event-image` token that lives `imageTokenTtlMs`.
 */
export function createNotifications(deps: {
  config: NotificationsConfig;
  store: Store;
  hub: EventHub;
  presence: PresenceTracker;
  jwt: JwtIssuer;
  imageTokenTtlMs: number;
  sessionActive: SessionCheck;
  logger: Logger;
  /** Told how each push message ended (the metrics). */
  onPushOutcome: (outcome: PushOutcome) => void;
}): Notifications {
  const { config, store, hub, presence, logger } = deps;
  const agent = pushAgent(config.pushExtraCaFile, config.allowedPrivateHosts);
  const refusedEndpoint = (endpoint: string) => endpointProblem(endpoint, config.allowedPrivateHosts);
  const sender = new PushSender({
    vapid: config.vapid,
    subscriptions: store.pushSubscriptions,
    logger,
    agent,
    endpointProblem: refusedEndpoint,
    onOutcome: deps.onPushOutcome,
  });
  const notifier = new Notifier({ store, hub, sender, logger });
  const offline = new OfflineWatch({ graceMs: config.offlineGraceMs, store, notifier, logger });
  const stopWatching = presence.onChange((change) => offline.changed(change));
  // Links in pushes name no sign-in session: a push goes to a browser, not to one session.
  const imageTokens = new PlaybackTokens(deps.jwt, deps.imageTokenTtlMs, deps.sessionActive, 'event-image');
  const events = new EventAlerts({
    cooldownMs: config.eventCooldownMs,
    thumbnailWaitMs: config.thumbnailWaitMs,
    store,
    notifier,
    thumbnailUrl: (event, origin) => {
      const { token } = imageTokens.issue(event, { kind: 'device', deviceId: event.deviceId, householdId: event.householdId });
      return `${origin}/api/events/${event.id}/thumbnail?token=${encodeURIComponent(token)}`;
    },
    logger,
  });
  return {
    mount(api) {
      notificationRoutes(api, { store, vapidPublicKey: config.vapid.publicKey, endpointProblem: refusedEndpoint });
    },
    onRecordingReport: notifyRecordingProblems({ store, notifier, logger }),
    onMotionEventActivity: (activity) => events.changed(activity),
    onCameraReport: notifyBatteryAlarms({ store, notifier, logger }),
    async close() {
      stopWatching();
      offline.close();
      events.close();
      await sender.close();
      agent.destroy();
    },
  };
}
