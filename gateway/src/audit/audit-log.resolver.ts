import type { DeploymentView } from '../deployments/deployments.projection';
import { onProject, onProjectOrInstance, projectOfService, type OperationRules } from '../auth/operation-rules';
import type { GatewayContext } from '../gateway-context';
import { cursorPage } from '../read-models/cursor-page';
import type { AuditEntry } from './audit-log.projection';

type PageArgs = { first: number; after?: string | null };

export const auditResolvers = {
  Query: {
    auditLog: async (_: unknown, { first, after, projectId }: PageArgs & { projectId?: string | null }, ctx: GatewayContext) => {
      const entries = (await ctx.readStore.db()).collection<AuditEntry & { _id: string }>('audit_log');
      const page = await cursorPage(entries, projectId ? { projectId } : {}, 'at', first, after);
      return { entries: page.items, nextCursor: page.nextCursor };
    },
    deploymentsPage: async (_: unknown, { serviceId, first, after }: PageArgs & { serviceId: string }, ctx: GatewayContext) => {
      const deployments = (await ctx.readStore.db()).collection<DeploymentView & { _id: string }>('deployments');
      const page = await cursorPage(deployments, { serviceId }, 'createdAt', first, after);
      return { deployments: page.items, nextCursor: page.nextCursor };
    },
  },
};

export const auditRules: OperationRules = {
  'Query.auditLog': onProjectOrInstance('read', 'projectId', 'read the whole instance\'s audit log (give a projectId for one project)'),
  'Query.deploymentsPage': onProject('read', projectOfService('serviceId')),
};
