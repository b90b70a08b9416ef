import type { Router } from 'express';
import type { Logger } from 'pino';
import type { RecordingsConfig } from '../config.js';
import type { Store } from '../store/store.js';
import type { EventHub } from '../events/event-hub.js';
import type { JwtIssuer } from '../auth/jwt.js';
import type { SessionIssuer } from '../auth/sessions.js';
import { authenticate } from '../auth/principal.js';
import { deviceEventRoutes } from '../events/device-routes.js';
import { DiskChunkStore } from './disk-chunk-store.js';
import { KeyedMutex } from './keyed-mutex.js';
import { PlaybackTokens } from './playback-tokens.js';
import { RetentionSweeper } from './retention-sweeper.js';
import { recordingRoutes } from './routes.js';
import { recordingControlRoutes, recordingStateEvent } from './control-routes.js';

/** The recordings feature, ready to mount. */
export interface Recordings {
  /** `/api/recordings`: mount before the JSON body parser (chunk bodies are streamed). */
  routes: Router;
  /** Remote record start/stop: mount under `/api/devices` behind `authenticate`. */
  controlRoutes: Router;
  /** A camera's own event stream: mount under `/api/events` behind `authenticate`, before the household stream. */
  deviceEvents: Router;
  /** The retention sweeper (sweeps at start and every interval). */
  sweeper: RetentionSweeper;
}

/**
 * Composes recordings: chunk files on local disk under `config.dir`, metadata
 * in the store, one lock per recording shared by uploads and the sweeper,
 * playback tokens, routes and retention. Call `sweeper.start()` once serving.
 */
export function createRecordings(deps: {
  config: RecordingsConfig;
  store: Store;
  jwt: JwtIssuer;
  sessions: SessionIssuer;
  hub: EventHub;
  logger: Logger;
}): Recordings {
  const { config, store, jwt, sessions, hub, logger } = deps;
  const chunks = new DiskChunkStore(config.dir);
  const locks = new KeyedMutex();
  return {
    routes: recordingRoutes({
      store,
      chunks,
      locks,
      jwt,
      sessions,
      tokens: new PlaybackTokens(jwt, config.playbackTokenTtlMs),
      authenticate: authenticate(jwt, store, sessions),
      chunkMaxBytes: config.chunkMaxBytes,
      maxAgeMs: config.maxAgeMs,
    }),
    controlRoutes: recordingControlRoutes({ store, hub }),
    deviceEvents: deviceEventRoutes(hub, async ({ deviceId }) => [
      recordingStateEvent(await store.recordingControls.get(deviceId)),
    ]),
    sweeper: new RetentionSweeper({
      store,
      chunks,
      locks,
      hub,
      logger,
      limits: { maxAgeMs: config.maxAgeMs, maxBytesPerCamera: config.maxBytesPerCamera },
      intervalMs: config.sweepIntervalMs,
    }),
  };
}
