import type { AuditLog } from '../audit/audit-log.js';
import type { MotionEventsConfig } from '../config.js';
import type { JwtIssuer } from '../auth/jwt.js';
import type { Principal } from '../auth/principal.js';
import type { EventHub } from '../events/event-hub.js';
import type { ContractRouter } from '../http/contract-router.js';
import type { ChunkStore } from '../recordings/chunk-store.js';
import { openChunkStore } from '../recordings/object-storage.js';
import { KeyedMutex } from '../recordings/keyed-mutex.js';
import { PlaybackTokens, type SessionCheck } from '../recordings/playback-tokens.js';
import type { Store } from '../store/store.js';
import type { MotionEventActivityListener } from './activity.js';
import { motionImageRoutes } from './image-routes.js';
import { motionEventRoutes } from './routes.js';

/** Where camera events keep their images, and the per-event lock uploads and retention share. */
export interface MotionEventStorage {
  /** The images, one folder per event (`IMAGE_SEQ` names the files). */
  images: ChunkStore;
  locks: KeyedMutex;
}

/** The camera events feature, ready to mount. */
export interface MotionEvents {
  /** Implements `/api/events/...`. */
  mount(api: ContractRouter): void;
  /** For the retention sweeper, which removes events with their footage. */
  storage: MotionEventStorage;
}

/**
 * Composes camera events: rows in the store, images on local disk under
 * `config.imagesDir` (the chunk store's whole-or-nothing files; objects in the
 * `config.objectStorage` bucket when there is one), one lock per
 * event, image links with `event-image` tokens that live as long as playback
 * links (`tokenTtlMs`).
 */
export function createMotionEvents(deps: {
  config: MotionEventsConfig;
  tokenTtlMs: number;
  store: Store;
  jwt: JwtIssuer;
  hub: EventHub;
  resolve: (authorization: string | undefined) => Promise<Principal | undefined>;
  /** Whether a user's sign-in session is still active (image links end with it). */
  sessionActive: SessionCheck;
  /** Told when an event starts and when an image is stored (the notifier). */
  onActivity: MotionEventActivityListener;
  audit: AuditLog;
}): MotionEvents {
  const { config, store, hub, resolve, onActivity } = deps;
  const storage: MotionEventStorage = {
    images: openChunkStore('event-images', config.imagesDir, config.objectStorage),
    locks: new KeyedMutex(),
  };
  const tokens = new PlaybackTokens(deps.jwt, deps.tokenTtlMs, deps.sessionActive, 'event-image');
  return {
    storage,
    mount(api) {
      motionEventRoutes(api, { store, hub, locks: storage.locks, tokens, onActivity });
      motionImageRoutes(api, { store, ...storage, tokens, resolve, imageMaxBytes: config.imageMaxBytes, onActivity, audit: deps.audit });
    },
  };
}
