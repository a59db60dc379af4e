/**
 * Who may do what. Roles are per project; the instance owner (the first sign-up) is owner of every
 * project. An API token never does more than its user could, and only what its scopes allow.
 */
export const roles = ['owner', 'admin', 'developer', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  'read',
  'deploy',
  'read-logs',
  'manage-previews',
  /** Lets a fork's pull request run, with the project's secrets. */
  'approve-previews',
  'manage-services',
  'manage-members',
  'manage-env',
  'manage-domains',
  'manage-project',
  /** Alert rules and notification channels (their URLs and secrets). */
  'manage-alerts',
] as const;
export type Permission = (typeof permissions)[number];

const viewer: Permission[] = ['read'];
const developer: Permission[] = [...viewer, 'deploy', 'read-logs', 'manage-previews'];
const admin: Permission[] = [...developer, 'approve-previews', 'manage-services', 'manage-members', 'manage-env', 'manage-domains', 'manage-alerts'];

export const rolePermissions: Record<Role, ReadonlySet<Permission>> = {
  viewer: new Set(viewer),
  developer: new Set(developer),
  admin: new Set(admin),
  owner: new Set(permissions),
};

export const tokenScopes = ['read', 'deploy', 'admin'] as const;
export type TokenScope = (typeof tokenScopes)[number];

export const scopePermissions: Record<TokenScope, ReadonlySet<Permission>> = {
  read: new Set<Permission>(['read', 'read-logs']),
  deploy: new Set<Permission>(['read', 'read-logs', 'deploy', 'manage-previews']),
  admin: new Set(permissions),
};

/** The role a permission first appears in, for errors that say whom to ask. */
export const leastRoleFor = (permission: Permission): Role =>
  (['viewer', 'developer', 'admin', 'owner'] as const).find((r) => rolePermissions[r].has(permission))!;
