import { GraphQLError } from 'graphql';
import { rolePermissions, scopePermissions, leastRoleFor, type Permission, type Role, type TokenScope } from './roles';

/** Who is asking: a signed-in user (by session cookie or bearer session) or an API token of a user. */
export interface Principal {
  userId: string;
  email: string;
  instanceOwner: boolean;
  /** Role per project id. */
  memberships: ReadonlyMap<string, Role>;
  credential: { kind: 'session'; id: string } | { kind: 'api-token'; id: string; scopes: readonly TokenScope[] };
}

export const unauthenticated = () =>
  new GraphQLError('Sign in first: send the session cookie or an "Authorization: Bearer <token>" header', {
    extensions: { code: 'UNAUTHENTICATED' },
  });

export const forbidden = (message: string) => new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });

export const roleIn = (principal: Principal, projectId: string): Role | undefined =>
  principal.instanceOwner ? 'owner' : principal.memberships.get(projectId);

const scopeAllows = (principal: Principal, permission: Permission) =>
  principal.credential.kind === 'session' || principal.credential.scopes.some((s) => scopePermissions[s].has(permission));

/** Throws the error a person can act on, or returns the role that allows it. */
export const demand = (principal: Principal | null, permission: Permission, project: { id: string; name?: string }): Role => {
  if (!principal) throw unauthenticated();
  const role = roleIn(principal, project.id);
  const name = project.name ?? project.id;
  if (!role) throw forbidden(`You are not a member of project ${name}; ask one of its owners or admins to invite you`);
  if (!rolePermissions[role].has(permission)) {
    throw forbidden(`Your role in project ${name} is ${role}; "${permission}" needs ${leastRoleFor(permission)} or above`);
  }
  if (!scopeAllows(principal, permission)) {
    throw forbidden(`This API token's scopes (${(principal.credential as { scopes: readonly string[] }).scopes.join(', ')}) do not allow "${permission}"`);
  }
  return role;
};

export const demandInstanceOwner = (principal: Principal | null, what: string): void => {
  if (!principal) throw unauthenticated();
  if (!principal.instanceOwner) throw forbidden(`Only the instance owner can ${what}`);
  if (!scopeAllows(principal, 'manage-project')) throw forbidden(`${what} needs an API token with the admin scope`);
};

/** Projects this principal may see: undefined means all of them. */
export const visibleProjectIds = (principal: Principal): ReadonlySet<string> | undefined =>
  principal.instanceOwner ? undefined : new Set(principal.memberships.keys());
