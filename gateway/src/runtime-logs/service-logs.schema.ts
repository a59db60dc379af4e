export const serviceLogsTypeDefs = /* GraphQL */ `
  "One line a service's container wrote to stdout or stderr"
  type ServiceLogLine {
    "when Docker received it (RFC 3339, nanoseconds)"
    timestamp: String!
    "stdout or stderr"
    stream: String!
    message: String!
    "the replica (Swarm task slot) that wrote it: 1, 2, …"
    replica: String
    "the container's short id: a replica's container changes when it restarts"
    container: String
    "the Swarm task id"
    task: String
  }

  type ServiceLogPage {
    "newest first"
    lines: [ServiceLogLine!]!
    "pass as after to read the older lines; null when there are none"
    nextCursor: String
  }

  extend type Query {
    "the runtime logs of a service's containers (kept 7 days), newest first: at most first lines (default 200, at most 1000) with search in them (any case, anywhere in the line), since ≤ time < until (ISO 8601)"
    serviceLogs(serviceId: ID!, search: String, since: String, until: String, first: Int, after: String): ServiceLogPage!
  }

  extend type Subscription {
    "the service's new runtime log lines from now on, oldest first, about a second after they are written"
    serviceLogLines(serviceId: ID!): ServiceLogLine!
  }
`;
