import { makeExecutableSchema } from '@graphql-tools/schema';
import { auditResolvers, auditRules } from './audit/audit-log.resolver';
import { auditTypeDefs } from './audit/audit-log.schema';
import { authorizeSchema } from './auth/authorize-schema';
import { certificatesResolvers, certificatesRules } from './certificates/certificates.resolver';
import { certificatesTypeDefs } from './certificates/certificates.schema';
import { publicOperation } from './auth/operation-rules';
import { deploymentLogHistoryResolvers, deploymentLogHistoryRules } from './deployments/deployment-log-history.resolver';
import { deploymentLogHistoryTypeDefs } from './deployments/deployment-log-history.schema';
import { deploymentsResolvers, deploymentsRules } from './deployments/deployments.resolver';
import { deploymentsTypeDefs } from './deployments/deployments.schema';
import { projectDeploymentResolvers, projectDeploymentRules } from './deployments/project-deployment.resolver';
import { projectDeploymentTypeDefs } from './deployments/project-deployment.schema';
import type { GatewayContext } from './gateway-context';
import { healthTypeDefs } from './health/health.schema';
import { identityResolvers, identityRules } from './identity/identity.resolver';
import { identityTypeDefs } from './identity/identity.schema';
import { instanceSettingsResolvers, instanceSettingsRules } from './instance-settings/instance-settings.resolver';
import { instanceSettingsTypeDefs } from './instance-settings/instance-settings.schema';
import { projectsResolvers, projectsRules } from './projects/projects.resolver';
import { projectsTypeDefs } from './projects/projects.schema';
import { readModelsResolvers, readModelsRules } from './read-models/read-models.resolver';
import { readModelsTypeDefs } from './read-models/read-models.schema';
import { serviceLifecycleResolvers } from './service-lifecycle/service-lifecycle.resolver';
import { serviceLifecycleRules } from './service-lifecycle/service-lifecycle.rules';
import { serviceLifecycleTypeDefs } from './service-lifecycle/service-lifecycle.schema';
import { serviceSettingsResolvers, serviceSettingsRules, serviceSettingsTypeDefs } from './service-settings';
import { volumesResolvers, volumesRules } from './volumes/volumes.resolver';
import { volumesTypeDefs } from './volumes/volumes.schema';
import { composeResolvers, composeRules } from './compose/compose.resolver';
import { composeTypeDefs } from './compose/compose.schema';
import { previewsResolvers, previewsRules } from './previews/previews.resolver';
import { previewsTypeDefs } from './previews/previews.schema';
import { serviceLogsResolvers, serviceLogsRules } from './runtime-logs/service-logs.resolver';
import { serviceLogsTypeDefs } from './runtime-logs/service-logs.schema';
import { metricsResolvers, metricsRules } from './metrics/metrics.resolver';
import { metricsTypeDefs } from './metrics/metrics.schema';
import { alertsResolvers, alertsRules } from './alerts/alerts.resolver';
import { alertsTypeDefs } from './alerts/alerts.schema';
import { quotaResolvers, quotaRules } from './quota/quota.resolver';
import { quotaTypeDefs } from './quota/quota.schema';
import { cleanupResolvers, cleanupRules } from './cleanup/cleanup.resolver';
import { cleanupTypeDefs } from './cleanup/cleanup.schema';
import { backupsResolvers, backupsRules } from './backups/backups.resolver';
import { backupsTypeDefs } from './backups/backups.schema';

/** Each feature's part of the API: its types, its resolvers and the authorisation rule of each of its operations. */
const features = [
  { typeDefs: healthTypeDefs, resolvers: { Query: { health: (_: unknown, __: unknown, ctx: GatewayContext) => ctx.health.read() } }, rules: { 'Query.health': publicOperation } },
  { typeDefs: projectsTypeDefs, resolvers: projectsResolvers, rules: projectsRules },
  // After projectsTypeDefs: it extends Service and uses ServiceSourceInput.
  { typeDefs: serviceSettingsTypeDefs, resolvers: serviceSettingsResolvers, rules: serviceSettingsRules },
  // After projectsTypeDefs: its mutations answer Service.
  { typeDefs: volumesTypeDefs, resolvers: volumesResolvers, rules: volumesRules },
  // After projectsTypeDefs: it extends Project and answers Service.
  { typeDefs: composeTypeDefs, resolvers: composeResolvers, rules: composeRules },
  { typeDefs: certificatesTypeDefs, resolvers: certificatesResolvers, rules: certificatesRules },
  { typeDefs: deploymentsTypeDefs, resolvers: deploymentsResolvers, rules: deploymentsRules },
  // After deploymentsTypeDefs and projectsTypeDefs: it extends Project and uses DeploymentStatus.
  { typeDefs: previewsTypeDefs, resolvers: previewsResolvers, rules: previewsRules },
  // After deploymentsTypeDefs and projectsTypeDefs: it extends Service and answers Deployment.
  { typeDefs: projectDeploymentTypeDefs, resolvers: projectDeploymentResolvers, rules: projectDeploymentRules },
  // After deploymentsTypeDefs and projectsTypeDefs: it extends Service and answers Deployment.
  { typeDefs: serviceLifecycleTypeDefs, resolvers: serviceLifecycleResolvers, rules: serviceLifecycleRules },
  // After deploymentsTypeDefs: it extends LogLine.
  { typeDefs: deploymentLogHistoryTypeDefs, resolvers: deploymentLogHistoryResolvers, rules: deploymentLogHistoryRules },
  { typeDefs: serviceLogsTypeDefs, resolvers: serviceLogsResolvers, rules: serviceLogsRules },
  { typeDefs: readModelsTypeDefs, resolvers: readModelsResolvers, rules: readModelsRules },
  { typeDefs: auditTypeDefs, resolvers: auditResolvers, rules: auditRules },
  { typeDefs: identityTypeDefs, resolvers: identityResolvers, rules: identityRules },
  { typeDefs: instanceSettingsTypeDefs, resolvers: instanceSettingsResolvers, rules: instanceSettingsRules },
  { typeDefs: metricsTypeDefs, resolvers: metricsResolvers, rules: metricsRules },
  { typeDefs: alertsTypeDefs, resolvers: alertsResolvers, rules: alertsRules },
  { typeDefs: quotaTypeDefs, resolvers: quotaResolvers, rules: quotaRules },
  { typeDefs: cleanupTypeDefs, resolvers: cleanupResolvers, rules: cleanupRules },
  { typeDefs: backupsTypeDefs, resolvers: backupsResolvers, rules: backupsRules },
];

/** The whole API, every root operation guarded by its rule. */
export const buildSchema = () =>
  authorizeSchema(
    makeExecutableSchema<GatewayContext>({ typeDefs: features.map((f) => f.typeDefs), resolvers: features.map((f) => f.resolvers) }),
    Object.assign({}, ...features.map((f) => f.rules)),
  );
