import { z } from 'zod';

/**
 * The roles of a household's people: an **owner** may do everything (people,
 * cameras); a **member** watches and controls cameras (Record switch, name)
 * but manages neither people nor cameras; a **viewer** watches live, the
 * recordings and events of the cameras they were given (or all) and changes
 * nothing. A household keeps at least one owner.
 */
export const ROLES = ['owner', 'member', 'viewer'] as const;
export const roleSchema = z.enum(ROLES).describe('A person’s role in their household: owner, member or viewer.');
export type Role = z.infer<typeof roleSchema>;

/**
 * The permission table: what each role may call. Every route of the route
 * table (`protocol/routes.ts`) names one of these (`RouteSpec.permission`),
 * the contract router refuses a signed-in user whose role is not listed with
 * 403 `forbidden`, and the OpenAPI document shows each route's permission.
 * `public` and `camera` are the permissions of routes without a user caller
 * (`who: 'anyone'`, `who: ['device']`).
 */
export const PERMISSIONS = {
  public: { roles: ROLES, description: 'Anyone, with no credential.' },
  camera: { roles: [], description: 'Only a paired camera, for itself.' },
  self: {
    roles: ROLES,
    description: 'Everyone signed in, for their own account: push subscriptions, notification reads, joining a household.',
  },
  watch: {
    roles: ROLES,
    description: 'Watch live, recordings and events; a viewer only of the cameras they were given.',
  },
  control: { roles: ['owner', 'member'], description: 'Change a camera: the Record switch, its name; mark events seen.' },
  cameras: { roles: ['owner'], description: 'Pair new cameras and remove cameras.' },
  members: { roles: ['owner'], description: 'Invite people, change their roles and cameras, remove them.' },
} as const satisfies Record<string, { roles: readonly Role[]; description: string }>;

/** A permission of the table. */
export type Permission = keyof typeof PERMISSIONS;

/** True when `role` has `permission`. */
export function roleMay(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission].roles as readonly Role[]).includes(role);
}
