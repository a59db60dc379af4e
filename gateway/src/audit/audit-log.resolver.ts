import { ofService, type DeploymentView } from '../deployments/deployments.projection';
import { onProject, onProjectOrInstance, projectOfService, type OperationRules } from '../auth/operation-rules';
import type { GatewayContext } from '../gateway-context';
import { cursorPage } from '../read-models/cursor-page';
import type { UserView } from '../identity/identity.projection';
import type { AuditEntry } from './audit-log.projection';

type PageArgs = { first: number; after?: string | null };

type Actor = AuditEntry['actor'];

/** A token's actor id is `u_…/tok_…`: the person is the part before the slash. */
const emailOf = (actor: Actor, ctx: GatewayContext) =>
  actor.kind === 'user' || actor.kind === 'token' ? (ctx.views.get<UserView>('users', actor.id.split('/')[0])?.email ?? null) : null;

const nameOf = (actor: Actor, ctx: GatewayContext) => {
  const email = emailOf(actor, ctx);
  if (actor.kind === 'token' || (actor.kind === 'user' && actor.id.includes('/'))) return email ? `${email} (API token)` : 'an API token';
  if (actor.kind === 'user') return email ?? 'a removed account';
  if (actor.id === 'host-admin') return 'the host administrator';
  return actor.kind === 'service' ? `Slipway (${actor.id})` : 'Slipway';
};

export const auditResolvers = {
  AuditActor: {
    email: (actor: Actor, _: unknown, ctx: GatewayContext) => emailOf(actor, ctx),
    name: (actor: Actor, _: unknown, ctx: GatewayContext) => nameOf(actor, ctx),
  },
  AuditEntry: {
    deployment: (entry: AuditEntry, _: unknown, ctx: GatewayContext) => (entry.deploymentId ? (ctx.views.get<DeploymentView>('deployments', entry.deploymentId) ?? null) : null),
  },
  Query: {
    auditLog: async (_: unknown, { first, after, projectId }: PageArgs & { projectId?: string | null }, ctx: GatewayContext) => {
      const entries = (await ctx.readStore.db()).collection<AuditEntry & { _id: string }>('audit_log');
      const page = await cursorPage(entries, projectId ? { projectId } : {}, 'at', first, after);
      return { entries: page.items, nextCursor: page.nextCursor };
    },
    deploymentsPage: async (_: unknown, { serviceId, first, after }: PageArgs & { serviceId: string }, ctx: GatewayContext) => {
      const deployments = (await ctx.readStore.db()).collection<DeploymentView & { _id: string }>('deployments');
      const page = await cursorPage(deployments, ofService(serviceId), 'createdAt', first, after);
      return { deployments: page.items, nextCursor: page.nextCursor };
    },
  },
};

export const auditRules: OperationRules = {
  'Query.auditLog': onProjectOrInstance('read', 'projectId', 'read the whole instance\'s audit log (give a projectId for one project)'),
  'Query.deploymentsPage': onProject('read', projectOfService('serviceId')),
};
