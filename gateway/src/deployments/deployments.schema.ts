export const deploymentsTypeDefs = /* GraphQL */ `
  enum DeploymentStatus {
    QUEUED
    BUILDING
    DEPLOYING
    SUCCEEDED
    FAILED
    CANCELLED
    "final: a service it depends on did not deploy (see error); nothing of it was built or rolled out"
    BLOCKED
  }

  type Deployment {
    id: ID!
    serviceId: ID!
    projectId: ID!
    "the names the service and its project had when it was requested"
    serviceName: String
    projectName: String
    status: DeploymentStatus!
    "the HTTPS URL a person would open, once SUCCEEDED"
    url: String
    imageRef: String
    commitSha: String
    "dockerfile, node, spa, static, image or rollback"
    strategy: String
    "for a rollback: the deployment whose image it restored (its commit is the one served again)"
    rollbackOf: Deployment
    "the port the app listens on and the edge routes to, once rolled out"
    port: Int
    "why that port: 'set on the service', 'EXPOSE 8080 in the image', 'Node default', or a rollback's 'as deployment … ran'"
    portReason: String
    "why it failed, naming the step; why it was BLOCKED, naming the dependency"
    error: String
    "while QUEUED by deployProject: the services whose deployments it waits for"
    waitingFor: [String!]!
    "manual, push, rollback or cascade (a service it depends on was redeployed)"
    trigger: String!
    triggeredBy: String!
    "the email of the person who triggered it, or null for the platform (a webhook, a rollback by the platform)"
    triggeredByEmail: String
    createdAt: String!
    buildStartedAt: String
    rolloutStartedAt: String
    finishedAt: String
  }

  type LogLine {
    timestamp: String!
    "stdout, stderr or system"
    stream: String!
    message: String!
  }

  extend type Query {
    deployment(id: ID!): Deployment
    "newest first"
    deployments(serviceId: ID!): [Deployment!]!
  }

  extend type Mutation {
    deployService(serviceId: ID!): Deployment!
    "redeploys the exact image of an earlier successful deployment: no rebuild"
    rollbackService(serviceId: ID!, toDeploymentId: ID!): Deployment!
  }

  type Subscription {
    "the deployment now, then every change"
    deploymentUpdated(deploymentId: ID!): Deployment!
    "every line so far (or, given after, every line after that cursor), then new lines as they are written"
    deploymentLogs(deploymentId: ID!, after: String): LogLine!
  }
`;
