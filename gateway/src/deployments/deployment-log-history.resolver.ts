import { onProject, projectOfDeployment, type OperationRules } from '../auth/operation-rules';
import type { GatewayContext } from '../gateway-context';
import { readDeploymentLogPage } from './deployment-log-history';

export const deploymentLogHistoryResolvers = {
  Query: {
    deploymentLog: (_: unknown, args: { deploymentId: string; after?: string | null; first?: number | null }, ctx: GatewayContext) =>
      readDeploymentLogPage(ctx.platform.connection, args.deploymentId, args),
  },
};

export const deploymentLogHistoryRules: OperationRules = {
  'Query.deploymentLog': onProject('read-logs', projectOfDeployment('deploymentId')),
};
