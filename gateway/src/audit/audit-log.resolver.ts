import type { DeploymentView } from '../deployments/deployments.projection';
import type { GatewayContext } from '../gateway-context';
import { cursorPage } from '../read-models/cursor-page';
import type { AuditEntry } from './audit-log.projection';

type PageArgs = { first: number; after?: string | null };

export const auditResolvers = {
  Query: {
    auditLog: async (_: unknown, { first, after }: PageArgs, ctx: GatewayContext) => {
      const page = await cursorPage((await ctx.readStore.db()).collection<AuditEntry & { _id: string }>('audit_log'), {}, 'at', first, after);
      return { entries: page.items, nextCursor: page.nextCursor };
    },
    deploymentsPage: async (_: unknown, { serviceId, first, after }: PageArgs & { serviceId: string }, ctx: GatewayContext) => {
      const deployments = (await ctx.readStore.db()).collection<DeploymentView & { _id: string }>('deployments');
      const page = await cursorPage(deployments, { serviceId }, 'createdAt', first, after);
      return { deployments: page.items, nextCursor: page.nextCursor };
    },
  },
};
