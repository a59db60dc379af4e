import { gql } from '../graphql';

export const ServiceLogsQuery = gql(`
  query ServiceLogs($serviceId: ID!, $search: String, $since: String, $first: Int, $after: String) {
    serviceLogs(serviceId: $serviceId, search: $search, since: $since, first: $first, after: $after) {
      lines { timestamp stream message replica container }
      nextCursor
    }
  }
`);

export const ServiceLogLinesSub = gql(`
  subscription ServiceLogLines($serviceId: ID!) {
    serviceLogLines(serviceId: $serviceId) { timestamp stream message replica container }
  }
`);
