import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { CameraSettings } from '../../protocol/index.js';
import type { QueuedEventReport } from './event-records.js';
import type { CachedPoster, LocalChunk, LocalRecording, RecordingWish } from './recording-records.js';

/** The credential a paired camera keeps (from `POST /api/pairings/claim`). */
export interface DeviceCredential {
  deviceId: string;
  /** Sent as `Authorization: Device <deviceToken>`. */
  deviceToken: string;
  /** The camera's name when it was paired (the server's copy may change later). */
  name: string;
  pairedAtMs: number;
}

/** Key of the single record in the `credentials` store. */
export const CAMERA_CREDENTIAL_KEY = 'camera';

/** Key of the camera's recording wish in the `settings` store. */
export const RECORDING_WISH_KEY = 'recording-wish';

/** Key of the single record in the `cameraSettings` store. */
export const CAMERA_SETTINGS_KEY = 'camera';

/** Schema of the browser database `peerwatch`. */
export interface PeerwatchDb extends DBSchema {
  credentials: { key: string; value: DeviceCredential };
  /** A camera's recordings with chunks not yet uploaded (see `recording-records.ts`). */
  recordings: { key: string; value: LocalRecording; indexes: { 'by-start': number } };
  /** Their chunks, keyed `[recordingId, seq]`; the index gives sizes without loading bytes. */
  chunks: { key: [string, number]; value: LocalChunk; indexes: { 'by-recording-size': [string, number] } };
  settings: { key: typeof RECORDING_WISH_KEY; value: RecordingWish };
  /** The viewer's poster frames of recordings, by recording id; the index orders them by when they were made. */
  posters: { key: string; value: CachedPoster; indexes: { 'by-cached': number } };
  /** A camera's event reports not yet confirmed by the server, in order (see `event-records.ts`). */
  eventOutbox: { key: number; value: QueuedEventReport };
  /** The settings from the server a camera last followed, so a reload while offline follows them too. */
  cameraSettings: { key: typeof CAMERA_SETTINGS_KEY; value: CameraSettings };
}

type UpgradeTransaction = IDBPTransaction<PeerwatchDb, ArrayLike<StoreNames<PeerwatchDb>>, 'versionchange'>;

/**
 * Schema migrations, in order: entry `i` takes the database from version `i`
 * to `i + 1`. Add a new entry (never edit an old one) to change the schema;
 * the database version is the length of this list.
 */
const MIGRATIONS: ReadonlyArray<(db: IDBPDatabase<PeerwatchDb>, tx: UpgradeTransaction) => void> = [
  (db) => {
    db.createObjectStore('credentials');
  },
  (db) => {
    db.createObjectStore('recordings', { keyPath: 'id' }).createIndex('by-start', 'startedAtMs');
    db.createObjectStore('chunks', { keyPath: ['recordingId', 'seq'] });
    db.createObjectStore('settings');
    db.createObjectStore('posters', { keyPath: 'recordingId' });
  },
  (_db, tx) => {
    tx.objectStore('chunks').createIndex('by-recording-size', ['recordingId', 'sizeBytes']);
  },
  (_db, tx) => {
    tx.objectStore('posters').createIndex('by-cached', 'cachedAtMs');
  },
  (db) => {
    db.createObjectStore('eventOutbox', { keyPath: 'seq', autoIncrement: true });
  },
  (db) => {
    db.createObjectStore('cameraSettings');
  },
];

let opening: Promise<IDBPDatabase<PeerwatchDb>> | null = null;

/**
 * Opens (once per page) the IndexedDB database `peerwatch`, running the
 * migrations it is missing. If another tab holds an older version open, that
 * tab closes its connection so the upgrade can go on.
 */
export function openPeerwatchDb(): Promise<IDBPDatabase<PeerwatchDb>> {
  opening ??= openDB<PeerwatchDb>('peerwatch', MIGRATIONS.length, {
    upgrade(db, oldVersion, _newVersion, tx) {
      for (let version = oldVersion; version < MIGRATIONS.length; version++) MIGRATIONS[version]?.(db, tx);
    },
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
      opening = null;
    },
  });
  return opening;
}
