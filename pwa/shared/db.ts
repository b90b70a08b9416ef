import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';

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

/** Schema of the browser database `peerwatch`. */
export interface PeerwatchDb extends DBSchema {
  credentials: { key: string; value: DeviceCredential };
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
