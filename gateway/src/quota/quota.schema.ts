export const quotaTypeDefs = /* GraphQL */ `
  "How much of one limit a project uses; limit null: no limit"
  type QuotaUse {
    "null when it could not be measured just now"
    used: Float
    limit: Float
  }

  "A project's use of its limits: CPU cores and memory count per replica, times replicas; stopped services count nothing"
  type ProjectUsage {
    projectId: ID!
    cpu: QuotaUse!
    memoryMb: QuotaUse!
    replicas: QuotaUse!
    previews: QuotaUse!
    "its volumes' size on disk, measured every minute"
    storageMb: QuotaUse!
    "true: limits of its own; false: the instance's defaults apply"
    ownLimits: Boolean!
  }

  "Limits; a field left out (null) is no limit"
  type QuotaLimits {
    cpu: Float
    memoryMb: Int
    replicas: Int
    previews: Int
    storageMb: Int
  }

  "Limits; a field left out is no limit"
  input QuotaLimitsInput {
    "CPU cores, 0.1 to 1024"
    cpu: Float
    "128 MB or more"
    memoryMb: Int
    replicas: Int
    "previews running at once"
    previews: Int
    "volume storage in MB"
    storageMb: Int
  }

  extend type Query {
    projectUsage(projectId: ID!): ProjectUsage!
    "the limits of every project without limits of its own"
    defaultProjectQuota: QuotaLimits!
  }

  extend type Mutation {
    "Instance owner: a project's limits, replacing the defaults for it; deployments over them end FAILED before anything runs"
    setProjectQuota(projectId: ID!, input: QuotaLimitsInput!): ProjectUsage!
    "Instance owner: the limits of every project without its own"
    setDefaultProjectQuota(input: QuotaLimitsInput!): QuotaLimits!
  }
`;
