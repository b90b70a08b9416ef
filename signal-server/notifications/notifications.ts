import { readFileSync } from 'node:fs';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { Logger } from 'pino';
import type { EventHub } from '../events/event-hub.js';
import type { ContractRouter } from '../http/contract-router.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import type { RecordingReportListener } from '../recordings/control-routes.js';
import type { Store } from '../store/store.js';
import { Notifier } from './notifier.js';
import { OfflineWatch } from './offline-watch.js';
import type { NotificationsConfig } from './push-config.js';
import { PushSender } from './push-sender.js';
import { notifyRecordingProblems } from './recording-problems.js';
import { notificationRoutes } from './routes.js';

/** The notifications feature, ready to mount. */
export interface Notifications {
  /** Implements `/api/push/...` and `/api/notifications/...`. */
  mount(api: ContractRouter): void;
  /** Give to the recordings: notifies when a camera asked to record stops for a reason. */
  onRecordingReport: RecordingReportListener;
  /** Stops the offline timers and push retries, and waits for pushes in flight. */
  close(): Promise<void>;
}

/**
 * The agent for push service connections: Node's default trust, plus the
 * certificate authorities of `extraCaFile` (PEM) when one is configured.
 * @throws Error (from node:fs) when the file cannot be read.
 */
function pushAgent(extraCaFile: string | null): https.Agent | undefined {
  if (!extraCaFile) return undefined;
  return new https.Agent({ keepAlive: true, ca: [...rootCertificates, readFileSync(extraCaFile, 'utf8')] });
}

/**
 * Composes notifications: Web Push sending (VAPID keys of `config`), the
 * notifier that keeps, streams and pushes them, and the two triggers that
 * need no camera events — a camera offline past the grace period (fed by
 * `presence`), and a camera that cannot record (fed by recording reports).
 */
export function createNotifications(deps: {
  config: NotificationsConfig;
  store: Store;
  hub: EventHub;
  presence: PresenceTracker;
  logger: Logger;
}): Notifications {
  const { config, store, hub, presence, logger } = deps;
  const agent = pushAgent(config.pushExtraCaFile);
  const sender = new PushSender({ vapid: config.vapid, subscriptions: store.pushSubscriptions, logger, agent });
  const notifier = new Notifier({ store, hub, sender, logger });
  const offline = new OfflineWatch({ graceMs: config.offlineGraceMs, store, notifier, logger });
  const stopWatching = presence.onChange((change) => offline.changed(change));
  return {
    mount(api) {
      notificationRoutes(api, { store, vapidPublicKey: config.vapid.publicKey });
    },
    onRecordingReport: notifyRecordingProblems({ store, notifier, logger }),
    async close() {
      stopWatching();
      offline.close();
      await sender.close();
      agent?.destroy();
    },
  };
}
