export const auditTypeDefs = /* GraphQL */ `
  type AuditActor {
    "user, token, service or system"
    kind: String!
    id: String!
    "the person's email, for a user or one of their API tokens"
    email: String
    "who, in words: an email, an email's API token, or a Slipway service"
    name: String!
  }

  "One change, as the event store recorded it: who, what, when."
  type AuditEntry {
    id: ID!
    at: String!
    type: String!
    actor: AuditActor!
    context: String!
    aggregate: String!
    aggregateId: String!
    correlationId: String!
    projectId: ID
    serviceId: ID
    deploymentId: ID
    "the deployment it is about (for a rollback, rollbackOf names what it restored)"
    deployment: Deployment
  }

  type AuditPage {
    entries: [AuditEntry!]!
    "pass as after for the next page; null on the last"
    nextCursor: String
  }

  type DeploymentPage {
    deployments: [Deployment!]!
    nextCursor: String
  }

  extend type Query {
    "every change, newest first: of one project, or (instance owner) of everything"
    auditLog(first: Int = 50, after: String, projectId: ID): AuditPage!
    "a service's deployments, newest first, a page at a time"
    deploymentsPage(serviceId: ID!, first: Int = 20, after: String): DeploymentPage!
  }
`;
