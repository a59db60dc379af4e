import { gql } from '../graphql';

export const ServiceMetricsQuery = gql(`
  query ServiceMetrics($serviceId: ID!, $from: String!, $to: String!) {
    serviceMetrics(serviceId: $serviceId, from: $from, to: $to) { at cpu memoryBytes netRxBytes netTxBytes restarts }
  }
`);

export const HostMetricsQuery = gql(`
  query HostMetrics($from: String!, $to: String!) {
    hostMetrics(from: $from, to: $to) { at cpu memoryBytes memoryTotalBytes diskUsedBytes diskTotalBytes load1 }
  }
`);
