import type { CookieOptions } from 'express';
import { rateLimitedError, rateLimiterFor } from '../abuse/rate-limits';
import { forbidden } from '../auth/principal';
import type { TokenScope } from '../auth/roles';
import { onProject, projectArg, publicOperation, signedIn, type OperationRules } from '../auth/operation-rules';
import type { GatewayContext } from '../gateway-context';
import { strip } from '../read-models/projection-runner';
import type { ProjectView } from '../projects/projects.projection';
import { createApiToken, endSession, findInvitation, revokeApiToken, signIn, signUp } from './accounts';
import { SESSION_COOKIE } from './credentials';
import type { CredentialView, MemberView, UserView } from './identity.projection';
import { pendingInvitations, revokeInvitation } from './invitations';
import { inviteMember, projectMembers, removeMember, setMemberRole } from './members';

const cookieOptions = (ctx: GatewayContext, expiresAt?: string): CookieOptions => ({
  httpOnly: true,
  sameSite: 'strict',
  secure: ctx.http?.req.secure ?? false,
  path: '/',
  ...(expiresAt ? { expires: new Date(expiresAt) } : {}),
});

/** Signing in through the API sets the console's cookie as well as returning the token. */
const withCookie = (ctx: GatewayContext, session: { token: string; expiresAt: string }) => {
  ctx.http?.res.cookie(SESSION_COOKIE, session.token, cookieOptions(ctx, session.expiresAt));
  return session;
};

/** Project names by id, from the view cache; built again only after a change (`me` runs on every console page). */
const projectNames = async (ctx: GatewayContext) => {
  await ctx.views.ready();
  return ctx.views.derived('project-names', () => new Map(ctx.views.all<ProjectView>('projects').map((p) => [p.id, p.name])));
};

/** Every project for the instance owner; the member's own projects for anyone else. Read on every console page: from the view cache. */
const membershipsOf = async (ctx: GatewayContext, user: { id: string; instanceOwner: boolean }) => {
  const names = await projectNames(ctx);
  const roles: [string, string][] = user.instanceOwner
    ? [...names.keys()].map((id) => [id, 'owner'])
    : ctx.views.all<MemberView>('members').filter((m) => m.userId === user.id && !m.removed).map((m) => [m.projectId, m.role]);
  return roles.filter(([id]) => names.has(id)).map(([projectId, role]) => ({ projectId, projectName: names.get(projectId)!, role }));
};

const limiters = { signIn: rateLimiterFor('signIn'), signUp: rateLimiterFor('signUp'), signInPerAddress: rateLimiterFor('signInPerAddress') };

const consume = (name: keyof typeof limiters, key: string) => {
  const decision = limiters[name].consume(key);
  if (!decision.allowed) throw rateLimitedError(name, limiters[name], decision.retryAfterSeconds);
};

/**
 * Per client address and email: password guessing stays hopeless, a typo costs nothing. Sign-ins
 * are limited per address as well, across emails: one password tried on many accounts. (Over
 * graphql-ws, open only to the signed in, the user stands for the address.)
 */
const throttle = (ctx: GatewayContext, name: 'signIn' | 'signUp', email: string) => {
  const client = ctx.http?.req.ip ?? `ws:${ctx.principal?.userId ?? ''}`;
  if (name === 'signIn') consume('signInPerAddress', client);
  consume(name, `${client}|${email.trim().toLowerCase()}`);
};

/** Tokens are managed in a session, or with a token that has the admin scope. */
const demandTokenManagement = (ctx: GatewayContext) => {
  const credential = ctx.principal!.credential;
  if (credential.kind === 'api-token' && !credential.scopes.includes('admin')) throw forbidden('Managing API tokens needs a session or a token with the admin scope');
};

export const identityResolvers = {
  Role: { OWNER: 'owner', ADMIN: 'admin', DEVELOPER: 'developer', VIEWER: 'viewer' },
  TokenScope: { READ: 'read', DEPLOY: 'deploy', ADMIN: 'admin' },
  Query: {
    signUpOpen: async (_: unknown, __: unknown, ctx: GatewayContext) => {
      await ctx.views.ready();
      return !ctx.views.all<UserView>('users').some((u) => u.instanceOwner);
    },
    me: (_: unknown, __: unknown, ctx: GatewayContext) => ({ id: ctx.principal!.userId, email: ctx.principal!.email, instanceOwner: ctx.principal!.instanceOwner }),
    apiTokens: async (_: unknown, __: unknown, ctx: GatewayContext) =>
      (
        await (await ctx.readStore.db())
          .collection<CredentialView & { _id: string }>('credentials')
          .find({ userId: ctx.principal!.userId, kind: 'api-token' })
          .sort({ createdAt: -1 })
          .toArray()
      ).map(strip),
    members: async (_: unknown, { projectId }: { projectId: string }, ctx: GatewayContext) => (await projectMembers(ctx, projectId)).map(strip),
    invitations: (_: unknown, { projectId }: { projectId: string }, ctx: GatewayContext) => pendingInvitations(ctx, projectId),
    invitation: async (_: unknown, { code }: { code: string }, ctx: GatewayContext) => {
      const invitation = await findInvitation(ctx, code);
      return { ...invitation, projectName: (await projectNames(ctx)).get(invitation.projectId) ?? invitation.projectId };
    },
  },
  User: {
    memberships: (user: { id: string; instanceOwner: boolean }, _: unknown, ctx: GatewayContext) => membershipsOf(ctx, user),
  },
  Mutation: {
    signUp: async (_: unknown, args: { email: string; password: string; invitation?: string | null }, ctx: GatewayContext) => {
      throttle(ctx, 'signUp', args.email);
      return withCookie(ctx, await signUp(ctx, args));
    },
    signIn: async (_: unknown, args: { email: string; password: string }, ctx: GatewayContext) => {
      throttle(ctx, 'signIn', args.email);
      return withCookie(ctx, await signIn(ctx, args));
    },
    signOut: async (_: unknown, __: unknown, ctx: GatewayContext) => {
      const { userId, credential } = ctx.principal!;
      if (credential.kind !== 'session') throw forbidden('signOut ends a session; an API token is revoked with revokeApiToken');
      await endSession(ctx, userId, credential.id);
      ctx.http?.res.clearCookie(SESSION_COOKIE, cookieOptions(ctx));
      return true;
    },
    createApiToken: (_: unknown, args: { name: string; scopes: TokenScope[]; expiresAt?: string | null }, ctx: GatewayContext) => {
      demandTokenManagement(ctx);
      return createApiToken(ctx, ctx.principal!.userId, args);
    },
    revokeApiToken: (_: unknown, { id }: { id: string }, ctx: GatewayContext) => {
      demandTokenManagement(ctx);
      return revokeApiToken(ctx, ctx.principal!.userId, id);
    },
    inviteMember: (_: unknown, args: Parameters<typeof inviteMember>[1], ctx: GatewayContext) => inviteMember(ctx, args),
    setMemberRole: (_: unknown, args: Parameters<typeof setMemberRole>[1], ctx: GatewayContext) => setMemberRole(ctx, args),
    removeMember: (_: unknown, args: Parameters<typeof removeMember>[1], ctx: GatewayContext) => removeMember(ctx, args),
    revokeInvitation: (_: unknown, args: Parameters<typeof revokeInvitation>[1], ctx: GatewayContext) => revokeInvitation(ctx, args),
  },
};

export const identityRules: OperationRules = {
  'Query.signUpOpen': publicOperation,
  'Query.me': signedIn,
  'Query.apiTokens': signedIn,
  'Query.members': onProject('read', projectArg('projectId')),
  'Query.invitation': publicOperation,
  'Query.invitations': onProject('manage-members', projectArg('projectId')),
  'Mutation.signUp': publicOperation,
  'Mutation.signIn': publicOperation,
  'Mutation.signOut': signedIn,
  'Mutation.createApiToken': signedIn,
  'Mutation.revokeApiToken': signedIn,
  'Mutation.inviteMember': onProject('manage-members', projectArg('projectId')),
  'Mutation.setMemberRole': onProject('manage-members', projectArg('projectId')),
  'Mutation.removeMember': onProject('manage-members', projectArg('projectId')),
  'Mutation.revokeInvitation': onProject('manage-members', projectArg('projectId')),
};
