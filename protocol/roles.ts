/*
 * The roles, API-token scopes and the permission table, with no dependency
 * (the browser app imports it without pulling in the schemas); their zod
 * schemas are in `permissions.ts`.
 */
/**
 * The roles of a household's people: an **owner** may do everything (people,
 * cameras); a **member** watches and controls cameras (Record switch, name)
 * but manages neither people nor cameras; a **viewer** watches live, the
 * recordings and events of the cameras they were given (or all) and changes
 * nothing. A household keeps at least one owner.
 */
export const ROLES = ['owner', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The scopes of an API token (`pwt_…`): `read` devices, events, recordings and
 * snapshots; `control` the Record switch, camera settings and controls (pausing
 * too, for an owner's token); `admin` people,
 * cameras and tokens. A token also never exceeds its creator's role.
 */
export const TOKEN_SCOPES = ['read', 'control', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/**
 * The permission table: what each role may call. Every route of the route
 * table (`protocol/routes.ts`) names one of these (`RouteSpec.permission`),
 * the contract router refuses a signed-in user whose role is not listed with
 * 403 `forbidden`, and the OpenAPI document shows each route's permission.
 * `scope` is the API-token scope the permission needs (null: no token may).
 * `public` and `camera` are the permissions of routes without a user caller
 * (`who: 'anyone'`, `who: ['device']`).
 */
export const PERMISSIONS = {
  public: { roles: ROLES, scope: null, description: 'Anyone, with no credential.' },
  camera: { roles: [], scope: null, description: 'Only a paired camera, for itself.' },
  self: {
    roles: ROLES,
    scope: 'admin',
    description: 'Everyone signed in, for their own account: push subscriptions, notification reads, joining a household.',
  },
  account: {
    roles: ROLES,
    scope: null,
    description:
      'Everyone signed in, for their own sign-in: change the password, see and end their sessions, delete the account. Never with an API token.',
  },
  watch: {
    roles: ROLES,
    scope: 'read',
    description: 'Watch live, recordings and events; a viewer only of the cameras they were given.',
  },
  control: {
    roles: ['owner', 'member'],
    scope: 'control',
    description: 'Change a camera: the Record switch, its name, its settings and controls (quality, which camera, torch, zoom); mark events seen.',
  },
  pause: {
    roles: ['owner'],
    scope: 'control',
    description: 'Pause and resume a camera from the viewer (on the camera itself anyone may).',
  },
  dashboard: {
    roles: ['owner', 'member'],
    scope: 'read',
    description: 'See the household at a glance: cameras online and recording, events, storage, the server.',
  },
  cameras: { roles: ['owner'], scope: 'admin', description: 'Pair new cameras and remove cameras.' },
  members: { roles: ['owner'], scope: 'admin', description: 'Invite people, change their roles and cameras, remove them.' },
  tokens: { roles: ['owner'], scope: 'admin', description: 'Create, list and revoke the household’s API tokens.' },
  audit: { roles: ['owner'], scope: 'admin', description: 'Read and export the household’s audit log.' },
} as const satisfies Record<string, { roles: readonly Role[]; scope: TokenScope | null; description: string }>;

/** A permission of the table. */
export type Permission = keyof typeof PERMISSIONS;

/** True when an API token of `scopes` may use `permission` (its creator's role permitting). */
export function scopesAllow(scopes: readonly TokenScope[], permission: Permission): boolean {
  const scope: TokenScope | null = PERMISSIONS[permission].scope;
  return scope !== null && scopes.includes(scope);
}

/** True when `role` has `permission`. */
export function roleMay(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission].roles as readonly Role[]).includes(role);
}
