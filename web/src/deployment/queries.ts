import { gql } from '../graphql';

export const DeploymentQuery = gql(`
  query DeploymentDetail($id: ID!) {
    deployment(id: $id) { id serviceId projectId serviceName projectName status url imageRef commitSha strategy port portReason rollbackOf { id commitSha createdAt } error trigger triggeredBy triggeredByEmail createdAt buildStartedAt rolloutStartedAt finishedAt }
  }
`);

export const DeploymentUpdatedSub = gql(`
  subscription DeploymentDetailUpdated($id: ID!) {
    deploymentUpdated(deploymentId: $id) { id serviceId projectId serviceName projectName status url imageRef commitSha strategy port portReason rollbackOf { id commitSha createdAt } error trigger triggeredBy triggeredByEmail createdAt buildStartedAt rolloutStartedAt finishedAt }
  }
`);

export const DeploymentLogsSub = gql(`
  subscription DeploymentLogLines($id: ID!, $after: String) {
    deploymentLogs(deploymentId: $id, after: $after) { timestamp stream message cursor }
  }
`);
