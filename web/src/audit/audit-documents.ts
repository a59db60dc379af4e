import { gql } from '../graphql';

export const AuditLogQuery = gql(`
  query AuditLogPage($projectId: ID!, $first: Int, $after: String) {
    auditLog(projectId: $projectId, first: $first, after: $after) {
      entries { id at type actor { kind id name } context aggregate aggregateId serviceId deploymentId deployment { id commitSha rollbackOf { id commitSha } } }
      nextCursor
    }
  }
`);

export const AuditPeople = gql(`
  query AuditPeople {
    projects { id name services { id name } }
  }
`);

export const AuditChanged = gql(`subscription AuditChanged { projectsChanged { at } }`);
