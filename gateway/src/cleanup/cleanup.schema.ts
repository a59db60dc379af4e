export const cleanupTypeDefs = /* GraphQL */ `
  enum CleanupRunStatus {
    RUNNING
    FINISHED
    FAILED
  }

  "Something a clean-up removed (or, in a dry run, would remove)"
  type CleanupItem {
    "registry-tag, image, network, swarm-service, build-cache or route"
    kind: String!
    name: String!
    "disk it held (0 for what holds none); a registry tag's bytes come back at the registry's next garbage collection"
    bytes: Float!
    reason: String!
    "the service that removed it: deploy, routing or build"
    part: String!
  }

  "One clean-up: registry tags beyond the last successful deployments, unused images and build caches, and what no service knows any more"
  type CleanupRun {
    id: ID!
    dryRun: Boolean!
    "manual or schedule"
    trigger: String!
    status: CleanupRunStatus!
    "the images of this many successful deployments of each service were kept"
    keepDeployments: Int!
    startedAt: String!
    deadline: String!
    finishedAt: String
    "the parts that reported: deploy, routing, build"
    parts: [String!]!
    items: [CleanupItem!]!
    "what was left alone, and why"
    notes: [String!]!
    reclaimedBytes: Float!
    "why it failed"
    reason: String
  }

  extend type Query {
    "the last clean-up runs, newest first"
    cleanupRuns(first: Int): [CleanupRun!]!
    cleanupRun(id: ID!): CleanupRun
  }

  extend type Mutation {
    "starts a clean-up now; dryRun lists what it would remove and removes nothing. Answers at once: the run's status says when it ends"
    runCleanup(dryRun: Boolean!): CleanupRun!
  }
`;
