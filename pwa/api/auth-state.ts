import type { AuthSession } from '../../protocol/index.js';

const STORAGE_KEY = 'peerwatch.session';

/**
 * The viewer's sign-in session (`AuthSession`: user, access JWT, rotating
 * refresh token), kept in localStorage so a reload stays signed in.
 * Dispatches `change` whenever the session is saved or cleared, including
 * when another tab of the same origin changes it.
 */
export class AuthState extends EventTarget {
  private current: AuthSession | null;

  constructor(private readonly storage: Storage = localStorage) {
    super();
    this.current = readSession(storage);
    window.addEventListener('storage', (event) => {
      if (event.key !== STORAGE_KEY) return;
      this.current = readSession(storage);
      this.dispatchEvent(new Event('change'));
    });
  }

  /** The session, or null when signed out. */
  get session(): AuthSession | null {
    return this.current;
  }

  /** Stores a new session (after register, login or refresh). */
  save(session: AuthSession): void {
    this.current = session;
    this.storage.setItem(STORAGE_KEY, JSON.stringify(session));
    this.dispatchEvent(new Event('change'));
  }

  /** Forgets the session (sign-out, or the server ended it). */
  clear(): void {
    if (this.current === null) return;
    this.current = null;
    this.storage.removeItem(STORAGE_KEY);
    this.dispatchEvent(new Event('change'));
  }
}

function readSession(storage: Storage): AuthSession | null {
  const raw = storage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<AuthSession>;
    if (typeof parsed.accessToken === 'string' && typeof parsed.refreshToken === 'string' && parsed.user) {
      return parsed as AuthSession;
    }
  } catch {
    /* unreadable: treated as signed out */
  }
  storage.removeItem(STORAGE_KEY);
  return null;
}
