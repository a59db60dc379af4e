export const metricsTypeDefs = /* GraphQL */ `
  "A service's usage at one time, summed over its running containers"
  type MetricPoint {
    "ISO 8601"
    at: String!
    "CPU in cores (1.5 = one and a half cores busy)"
    cpu: Float!
    "memory in use, without the page cache the kernel can drop"
    memoryBytes: Float!
    "bytes per second received, averaged over the step"
    netRxBytes: Float!
    "bytes per second sent, averaged over the step"
    netTxBytes: Float!
    "replicas restarted by Swarm since the current deployment rolled out"
    restarts: Int!
  }

  "The host's usage at one time"
  type HostMetricPoint {
    at: String!
    "CPU in cores busy"
    cpu: Float!
    memoryBytes: Float!
    memoryTotalBytes: Float!
    "of the file system that holds the platform's data"
    diskUsedBytes: Float!
    diskTotalBytes: Float!
    "load average over one minute"
    load1: Float!
  }

  extend type Query {
    "a service's CPU, memory, network and restarts between from and to (ISO times); step in seconds (at least 10; raised so that at most 1,500 points come back)"
    serviceMetrics(serviceId: ID!, from: String!, to: String!, step: Int): [MetricPoint!]!
    "the host's CPU, memory, disk and load between from and to (the instance owner)"
    hostMetrics(from: String!, to: String!, step: Int): [HostMetricPoint!]!
  }
`;
