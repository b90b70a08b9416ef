import { z } from 'zod';
import { ROLES, TOKEN_SCOPES } from './roles.js';

export * from './roles.js';

/** A role on the wire (`roles.ts`: owner, member, viewer). */
export const roleSchema = z.enum(ROLES).describe('A person’s role in their household: owner, member or viewer.');

/** An API-token scope on the wire (`roles.ts`: read, control, admin). */
export const tokenScopeSchema = z.enum(TOKEN_SCOPES).describe('What an API token may do: read, control or admin.');
