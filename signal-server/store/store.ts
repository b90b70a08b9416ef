/**
 * The persistence boundary of the server. Only implementations of `Store`
 * know how data is kept (SQLite now; another database later). Every method is
 * async so that a networked database can stand behind the same interface.
 * Times are ms since the Unix epoch.
 */

export interface UserRecord {
  id: string;
  householdId: string;
  email: string;
  passwordHash: string;
  createdAtMs: number;
}

export interface RefreshTokenRecord {
  id: string;
  userId: string;
  /** All tokens rotated from one login share a family; reuse of a spent token revokes the family. */
  familyId: string;
  tokenHash: string;
  expiresAtMs: number;
  usedAtMs: number | null;
  revokedAtMs: number | null;
}

export interface DeviceRecord {
  id: string;
  householdId: string;
  name: string;
  tokenHash: string;
  createdAtMs: number;
  lastSeenAtMs: number | null;
}

/** A device about to be registered by a pairing claim. */
export type NewDevice = Omit<DeviceRecord, 'householdId' | 'name'> & { name: string | null };

export interface PairingRecord {
  id: string;
  householdId: string;
  tokenHash: string;
  name: string | null;
  createdAtMs: number;
  expiresAtMs: number;
  claimedAtMs: number | null;
  deviceId: string | null;
}

/** Outcome of an atomic pairing claim. */
export type ClaimOutcome =
  | { kind: 'claimed'; pairing: PairingRecord; device: DeviceRecord }
  | { kind: 'not-found' }
  | { kind: 'already-claimed' }
  | { kind: 'expired' };

export interface UserRepository {
  /** Creates a user in a new household. @throws EmailTakenError */
  create(user: UserRecord): Promise<void>;
  findByEmail(email: string): Promise<UserRecord | undefined>;
  findById(id: string): Promise<UserRecord | undefined>;
}

export interface RefreshTokenRepository {
  insert(token: RefreshTokenRecord): Promise<void>;
  findByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** Marks a token spent; false if it was spent already (a concurrent rotation). */
  markUsed(id: string, atMs: number): Promise<boolean>;
  revokeFamily(familyId: string, atMs: number): Promise<void>;
}

export interface DeviceRepository {
  listByHousehold(householdId: string): Promise<DeviceRecord[]>;
  findById(id: string): Promise<DeviceRecord | undefined>;
  findByTokenHash(tokenHash: string): Promise<DeviceRecord | undefined>;
  rename(id: string, name: string): Promise<void>;
  /** @returns false when no such device existed. */
  delete(id: string): Promise<boolean>;
  touchLastSeen(id: string, atMs: number): Promise<void>;
}

export interface PairingRepository {
  insert(pairing: PairingRecord): Promise<void>;
  /**
   * Claims a pairing token and registers its device in one transaction, so a
   * token is claimed at most once even under concurrent claims. The device
   * joins the pairing's household; with no name of its own it takes the name
   * given when the pairing was made, else "Camera".
   */
  claim(tokenHash: string, nowMs: number, device: NewDevice): Promise<ClaimOutcome>;
  /** Removes pairings that expired before `beforeMs`. */
  deleteExpired(beforeMs: number): Promise<void>;
}

export interface Store {
  users: UserRepository;
  refreshTokens: RefreshTokenRepository;
  devices: DeviceRepository;
  pairings: PairingRepository;
  close(): Promise<void>;
}

/** Thrown by `UserRepository.create` when the email is registered already. */
export class EmailTakenError extends Error {
  constructor() {
    super('email already registered');
  }
}
