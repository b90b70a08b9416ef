import type { Logger } from 'pino';
import type { AuditLog } from '../audit/audit-log.js';
import type { DeviceEvent } from '../../protocol/index.js';
import type { RecordingsConfig } from '../config.js';
import type { Store } from '../store/store.js';
import type { EventHub } from '../events/event-hub.js';
import type { JwtIssuer } from '../auth/jwt.js';
import type { Principal } from '../auth/principal.js';
import type { ContractRouter } from '../http/contract-router.js';
import type { MotionEventStorage } from '../motion-events/motion-events.js';
import { openChunkStore } from './object-storage.js';
import { KeyedMutex } from './keyed-mutex.js';
import { PlaybackTokens, type SessionCheck } from './playback-tokens.js';
import { RetentionSweeper } from './retention-sweeper.js';
import { recordingRoutes } from './routes.js';
import {
  recordingControlRoutes,
  recordingStateEvent,
  type RecordingReportListener,
  type RecordingWishListener,
} from './control-routes.js';

/** The recordings feature, ready to mount. */
export interface Recordings {
  /** Implements `/api/recordings/...` and the recording control under `/api/devices/...`. */
  mount(api: ContractRouter): void;
  /** What a camera's own event stream starts with: its current recording state. */
  initialDeviceEvents(device: { deviceId: string }): Promise<DeviceEvent[]>;
  /** The retention sweeper (sweeps at start and every interval). */
  sweeper: RetentionSweeper;
}

/**
 * Composes recordings: chunk files on local disk under `config.dir` (or objects in the
 * `config.objectStorage` bucket, see `openChunkStore`), metadata
 * in the store, one lock per recording shared by uploads and the sweeper,
 * playback tokens, routes and retention (of recordings and the camera events
 * that go with them). Call `sweeper.start()` once serving.
 */
export function createRecordings(deps: {
  config: RecordingsConfig;
  store: Store;
  jwt: JwtIssuer;
  hub: EventHub;
  logger: Logger;
  /** Camera events' images and locks: retention removes events with their footage. */
  events: MotionEventStorage;
  /** The principal of an `Authorization` header value, or undefined. */
  resolve: (authorization: string | undefined) => Promise<Principal | undefined>;
  /** Whether a user's sign-in session is still active (playback links end with it). */
  sessionActive: SessionCheck;
  /** Told of every recording report a camera makes. */
  onReport: RecordingReportListener;
  /** Told of every "Record" switch set. */
  onWish: RecordingWishListener;
  /** Told of each chunk stored, with its size in bytes (the metrics). */
  onChunkStored: (sizeBytes: number) => void;
  audit: AuditLog;
}): Recordings {
  const { config, store, jwt, hub, logger } = deps;
  const chunks = openChunkStore('recordings', config.dir, config.objectStorage);
  const locks = new KeyedMutex();
  return {
    mount(api) {
      recordingRoutes(api, {
        store,
        chunks,
        locks,
        tokens: new PlaybackTokens(jwt, config.playbackTokenTtlMs, deps.sessionActive),
        resolve: deps.resolve,
        chunkMaxBytes: config.chunkMaxBytes,
        maxAgeMs: config.maxAgeMs,
        onChunkStored: deps.onChunkStored,
        audit: deps.audit,
      });
      recordingControlRoutes(api, { store, hub, onReport: deps.onReport, onWish: deps.onWish, audit: deps.audit });
    },
    initialDeviceEvents: async ({ deviceId }) => [recordingStateEvent(await store.recordingControls.get(deviceId))],
    sweeper: new RetentionSweeper({
      store,
      chunks,
      locks,
      hub,
      logger,
      events: deps.events,
      limits: { maxAgeMs: config.maxAgeMs, maxBytesPerCamera: config.maxBytesPerCamera },
      intervalMs: config.sweepIntervalMs,
    }),
  };
}
