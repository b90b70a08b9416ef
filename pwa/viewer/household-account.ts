import type { Account, Permission } from '../../protocol/index.js';
import { roleMay } from '../../protocol/roles.js';
import type { ApiClient } from '../api/api-client.js';
import { Emitter } from '../shared/emitter.js';
import { log } from '../shared/logger.js';

/**
 * The signed-in person's place in their household (`GET /api/account`): role
 * and cameras, loaded again each time the household's stream (re)subscribes,
 * which it does after the server said `access-changed`. What the page offers
 * follows `may()`, while the server enforces the same permission table on
 * every call. Sends `change` when it was loaded.
 */
export class HouseholdAccount extends Emitter<{ change: void }> {
  /** Null until loaded. */
  current: Account | null = null;

  constructor(private readonly api: ApiClient) {
    super();
  }

  /** True once loaded and the role has `permission` (the permission table of `protocol/roles.ts`). */
  may(permission: Permission): boolean {
    return this.current !== null && roleMay(this.current.role, permission);
  }

  /** Loads the account again; a failure is logged and what is known stays. */
  async load(): Promise<void> {
    try {
      this.current = await this.api.call('GET /api/account', {});
      this.emit('change');
    } catch (error) {
      log.warn('viewer: the account could not be loaded', error);
    }
  }
}
