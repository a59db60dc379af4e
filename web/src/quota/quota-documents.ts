import { gql } from '../graphql';

export const ProjectUsageQuery = gql(`
  query ProjectUsage($projectId: ID!) {
    projectUsage(projectId: $projectId) {
      projectId ownLimits
      cpu { used limit }
      memoryMb { used limit }
      replicas { used limit }
      previews { used limit }
      storageMb { used limit }
    }
  }
`);

export const SetProjectQuotaMutation = gql(`
  mutation SetProjectQuota($projectId: ID!, $input: QuotaLimitsInput!) {
    setProjectQuota(projectId: $projectId, input: $input) {
      projectId ownLimits
      cpu { used limit }
      memoryMb { used limit }
      replicas { used limit }
      previews { used limit }
      storageMb { used limit }
    }
  }
`);
