import { makeExecutableSchema } from '@graphql-tools/schema';
import { auditTypeDefs } from '../audit/audit-log.schema';
import { deploymentLogHistoryTypeDefs } from '../deployments/deployment-log-history.schema';
import { deploymentsTypeDefs } from '../deployments/deployments.schema';
import { healthTypeDefs } from '../health/health.schema';
import { projectsTypeDefs } from '../projects/projects.schema';
import { readModelsTypeDefs } from '../read-models/read-models.schema';

/**
 * The gateway's schema as graphql-server.ts builds it (same typeDefs, same makeExecutableSchema),
 * without resolvers: what the abuse limits see is the shape, not the data. Keep the list in step
 * with graphql-server.ts.
 */
export const gatewaySchema = () =>
  makeExecutableSchema({
    typeDefs: [healthTypeDefs, projectsTypeDefs, deploymentsTypeDefs, readModelsTypeDefs, auditTypeDefs, deploymentLogHistoryTypeDefs],
  });
